import { ValidationError } from '../../../src/shared/errors';
import { executePlan, type ToolRunner } from '../../../src/rag/executor';
import { extractJsonObject, parsePlan, resolveArgs, stepsToRerun } from '../../../src/rag/plan';
import { validateAgainstSchema } from '../../../src/rag/tools/tool-schema';
import { ragToolSpecs } from '../../../src/rag/tools/tool-specs';
import type { Plan, StepRecord, ToolResult } from '../../../src/rag/types';

const specs = ragToolSpecs();
const limits = { maxSteps: 4 };
const plan = (steps: unknown[]) => JSON.stringify({ steps });

/** The problems parsePlan reports, as `path: message` lines. */
function problemsOf(text: string, maxSteps = limits.maxSteps): string[] {
  try {
    parsePlan(text, specs, { maxSteps });
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('BAD_USER_INPUT');
    return (err as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the plan to be rejected');
}

const result = (...ids: string[]): ToolResult => ({
  records: ids.map((id) => ({ id, type: 'candidate', label: id, fields: {} })),
  truncated: false,
});

describe('parsePlan: finding the JSON', () => {
  const good = plan([{ id: 's1', tool: 'searchCandidates', args: { query: 'rust engineer' } }]);

  it('reads a bare object', () => {
    expect(parsePlan(good, specs, limits).steps[0]).toEqual({ id: 's1', tool: 'searchCandidates', args: { query: 'rust engineer' } });
  });

  it('reads a ```json fence with prose around it', () => {
    const text = `Here is my plan:\n\`\`\`json\n${good}\n\`\`\`\nI will then summarise.`;
    expect(parsePlan(text, specs, limits).steps).toHaveLength(1);
  });

  it('reads an object inside prose, skipping braces that are not JSON and braces inside strings', () => {
    const text = `Thinking {roughly} about it. ${plan([{ id: 's1', tool: 'normalizeTitle', args: { title: 'dev {ops}' } }])} Done.`;
    expect(parsePlan(text, specs, limits).steps[0]!.args).toEqual({ title: 'dev {ops}' });
  });

  it('reports output without a JSON object', () => {
    expect(problemsOf('I cannot help with that.')).toEqual([expect.stringMatching(/^\(plan\): no JSON object/)]);
    expect(extractJsonObject('[1, 2]')).toBeNull();
  });

  it('reports a missing steps array', () => {
    expect(problemsOf('{"plan": []}')).toEqual(['steps: must be an array of steps']);
  });
});

describe('parsePlan: validation lists every problem', () => {
  it('rejects an empty plan and too many steps', () => {
    expect(problemsOf(plan([]))).toEqual(['steps: needs at least one step']);
    const many = Array.from({ length: 3 }, (_, i) => ({ id: `s${i}`, tool: 'normalizeTitle', args: { title: 'x' } }));
    expect(problemsOf(plan(many), 2)).toEqual(['steps: has 3 steps; at most 2 are allowed']);
  });

  it('rejects bad and duplicate step ids', () => {
    const problems = problemsOf(
      plan([
        { id: '1st', tool: 'normalizeTitle', args: { title: 'x' } },
        { id: 's1', tool: 'normalizeTitle', args: { title: 'x' } },
        { id: 's1', tool: 'normalizeTitle', args: { title: 'y' } },
        { tool: 'normalizeTitle', args: { title: 'z' } },
      ]),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^steps\.0\.id: must be a letter/),
      expect.stringMatching(/^steps\.2\.id: "s1" is used by an earlier step/),
      expect.stringMatching(/^steps\.3\.id: must be a letter/),
    ]);
  });

  it('rejects unknown tools, non-object steps and non-object args', () => {
    const problems = problemsOf(
      plan([{ id: 's1', tool: 'runSql', args: { sql: 'DROP TABLE candidate' } }, 'search', { id: 's3', tool: 'getRecords', args: [] }]),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^steps\.0\.tool: unknown tool "runSql"; use one of searchCandidates, /),
      'steps.1: must be an object {id, tool, args}',
      'steps.2.args: must be an object',
    ]);
  });

  it('rejects arguments that break the tool schema, with their paths', () => {
    const problems = problemsOf(
      plan([
        { id: 's1', tool: 'searchCandidates', args: { skills: 'rust', first: 0, sql: 'x' } },
        { id: 's2', tool: 'aggregate', args: { metric: 'salaryByName', filters: { since: 1999.5 } } },
        { id: 's3', tool: 'graphNeighborhood', args: { id: 'abc', depth: 3, types: ['KNOWS'] } },
      ]),
    );
    expect(problems).toEqual([
      'steps.0.args.query: is required',
      expect.stringMatching(/^steps\.0\.args\.sql: is not an argument; use query, skills/),
      'steps.0.args.skills: expected array, got string',
      'steps.0.args.first: must be >= 1',
      expect.stringMatching(/^steps\.1\.args\.metric: must be one of candidatesByCompany, /),
      'steps.1.args.filters.since: expected integer, got number',
      'steps.2.args.depth: must be <= 2',
      expect.stringMatching(/^steps\.2\.args\.types\.0: must be one of WORKED_AT, /),
    ]);
  });

  it('rejects references and dependsOn entries that are not earlier steps, which rules out cycles', () => {
    const problems = problemsOf(
      plan([
        { id: 'a', tool: 'getRecords', args: { ids: ['$b.ids'] } },
        { id: 'b', tool: 'getRecords', args: { ids: ['$a.ids', '$b.ids[0]'] }, dependsOn: ['nope'] },
        { id: 'c', tool: 'graphNeighborhood', args: { id: '$a.records[0]' }, dependsOn: 'a' },
      ]),
    );
    expect(problems).toEqual([
      'steps.0.args.ids.0: refers to "b", which is not an earlier step',
      'steps.1.args.ids.1: refers to "b", which is not an earlier step',
      'steps.1.dependsOn.0: refers to "nope", which is not an earlier step',
      expect.stringMatching(/^steps\.2\.args\.id: "\$a\.records\[0\]" is not a reference/),
      'steps.2.dependsOn: must be an array of step ids',
    ]);
  });

  it('accepts references where ids are expected, whether spread, whole or indexed', () => {
    const parsed = parsePlan(
      plan([
        { id: 's1', tool: 'searchJobs', args: { query: 'data engineer' }, why: 'find jobs' },
        { id: 's2', tool: 'getRecords', args: { ids: '$s1.ids' } },
        { id: 's3', tool: 'matchCandidatesForJob', args: { jobId: '$s1.ids[2]' }, dependsOn: ['s2'] },
        { id: 's4', tool: 'aggregate', args: { metric: 'openJobsByCompany', filters: { companyId: '$s1.ids[0]' } } },
      ]),
      specs,
      limits,
    );
    expect(parsed.steps.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4']);
    expect(parsed.steps[0]!.why).toBe('find jobs');
    expect(parsed.steps[2]!.dependsOn).toEqual(['s2']);
  });

  it('the message lists every problem for the repair prompt', () => {
    const err = (() => {
      try {
        parsePlan(
          plan([
            { id: 's1', tool: 'x', args: {} },
            { id: 's1', tool: 'normalizeTitle', args: {} },
          ]),
          specs,
          limits,
        );
      } catch (e) {
        return e as ValidationError;
      }
    })()!;
    expect(err.message).toMatch(/^Invalid plan: steps\.0\.tool: unknown tool "x".*; steps\.1\.id: .*; steps\.1\.args\.title: is required$/);
  });
});

describe('validateAgainstSchema', () => {
  it('checks types, bounds, lengths and enums', () => {
    const schema = {
      type: 'object' as const,
      properties: { n: { type: 'number' as const, maximum: 1 }, s: { type: 'string' as const, minLength: 1, pattern: '\\S' } },
      required: ['s'],
    };
    expect(validateAgainstSchema(schema, { n: 2, s: '  ' })).toEqual([
      { path: 'n', message: 'must be <= 1' },
      { path: 's', message: 'must not be blank' },
    ]);
    expect(validateAgainstSchema(schema, { s: '' })).toEqual([{ path: 's', message: 'must have at least 1 characters' }]);
    expect(validateAgainstSchema(schema, null)).toEqual([{ path: '(args)', message: 'expected object, got null' }]);
  });

  it('reports every problem at once, nested ones by their path under the given prefix', () => {
    const schema = {
      type: 'object' as const,
      properties: {
        ids: { type: 'array' as const, items: { type: 'string' as const, maxLength: 3 }, maxItems: 2 },
        kind: { type: 'string' as const, enum: ['A', 'B'] },
      },
      additionalProperties: false as const,
      required: ['kind'],
    };
    expect(validateAgainstSchema(schema, { ids: ['abcd', 'ok', 7], colour: 'red' }, 'steps.0.args')).toEqual(
      expect.arrayContaining([
        { path: 'steps.0.args.kind', message: 'is required' },
        { path: 'steps.0.args.colour', message: 'is not an argument; use ids, kind' },
        { path: 'steps.0.args.ids', message: 'allows at most 2 items' },
        { path: 'steps.0.args.ids.0', message: 'must have at most 3 characters' },
        { path: 'steps.0.args.ids.2', message: 'expected string, got number' },
      ]),
    );
  });
});

describe('resolveArgs', () => {
  const results = new Map([
    ['s1', result('a', 'b')],
    ['s2', result('c')],
  ]);

  it('spreads $s.ids inside arrays, replaces a whole $s.ids with the array and $s.ids[N] with one id', () => {
    expect(
      resolveArgs({ ids: ['$s1.ids', 'x', '$s2.ids'], all: '$s1.ids', one: '$s1.ids[1]', nested: { id: '$s2.ids[0]' }, n: 3 }, results),
    ).toEqual({ ids: ['a', 'b', 'x', 'c'], all: ['a', 'b'], one: 'b', nested: { id: 'c' }, n: 3 });
  });

  it('leaves other strings alone', () => {
    expect(resolveArgs({ query: '$100k salary', q2: 'ids' }, results)).toEqual({ query: '$100k salary', q2: 'ids' });
  });

  it('explains an index past the end and a step without a result', () => {
    expect(() => resolveArgs({ id: '$s2.ids[3]' }, results)).toThrow('id: step s2 returned 1 record(s), so $s2.ids[3] does not exist');
    expect(() => resolveArgs({ ids: ['$s9.ids'] }, results)).toThrow('ids.0: step s9 has no result to refer to');
  });
});

describe('stepsToRerun', () => {
  const p: Plan = {
    steps: [
      { id: 's1', tool: 'searchJobs', args: { query: 'x' } },
      { id: 's2', tool: 'getRecords', args: { ids: ['$s1.ids'] } },
      { id: 's3', tool: 'normalizeTitle', args: { title: 'y' } },
      { id: 's4', tool: 'getRecords', args: { ids: ['x'] }, dependsOn: ['s2'] },
      { id: 's5', tool: 'getRecords', args: { ids: ['$s3.ids'] } },
    ],
  };

  it('is the edited step and its transitive dependants', () => {
    expect([...stepsToRerun(p, 's1')].sort()).toEqual(['s1', 's2', 's4']);
    expect([...stepsToRerun(p, 's3')].sort()).toEqual(['s3', 's5']);
    expect([...stepsToRerun(p, 's4')]).toEqual(['s4']);
  });

  it('rejects an unknown step', () => {
    expect(() => stepsToRerun(p, 'zz')).toThrow(ValidationError);
  });
});

describe('executePlan with a scripted tool runner', () => {
  const budget = { maxSteps: 10, timeoutMs: 2_000, maxRowsPerStep: 5, concurrency: 2 };
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });

  /** Each tool name maps to ids it returns after `ms`; `fail` rejects. */
  function runner(script: Record<string, { ids?: string[]; ms?: number; fail?: Error }>, log: string[] = []): ToolRunner {
    return {
      async run(name, args, ctx) {
        const key = (args.title as string) ?? name;
        log.push(`start ${key}`);
        const s = script[key] ?? {};
        await sleep(s.ms ?? 5, ctx.signal);
        log.push(`end ${key}`);
        if (s.fail) throw s.fail;
        return result(...(s.ids ?? []));
      },
    };
  }
  const title = (id: string, t: string, extra: object = {}) => ({ id, tool: 'normalizeTitle' as const, args: { title: t }, ...extra });

  it('runs independent steps together, respects concurrency and the row cap', async () => {
    const log: string[] = [];
    const p: Plan = {
      steps: [title('a', 'A'), title('b', 'B'), title('c', 'C'), { id: 'd', tool: 'getRecords', args: { ids: ['$a.ids[0]'] } }],
    };
    const records = await executePlan(
      p,
      runner({ A: { ids: ['x', 'y'], ms: 30 }, B: { ms: 30 }, C: { ids: 'abcdefg'.split('') } }, log),
      { role: 'analyst' },
      budget,
    );
    expect(log.slice(0, 2)).toEqual(['start A', 'start B']);
    expect(log.indexOf('start C')).toBeGreaterThan(Math.min(log.indexOf('end A'), log.indexOf('end B')));
    expect(records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(records[3]!.resolvedArgs).toEqual({ ids: ['x'] });
    expect(records[2]!.result!.records).toHaveLength(5);
    expect(records[2]!.result!.truncated).toBe(true);
  });

  it('skips dependants of a failed step, hides non-AppError messages and keeps independent steps going', async () => {
    const finished: StepRecord[] = [];
    const p: Plan = {
      steps: [title('a', 'A'), title('b', 'B'), title('c', 'C', { dependsOn: ['a'] }), title('d', 'D', { dependsOn: ['c'] })],
    };
    const records = await executePlan(
      p,
      runner({ A: { fail: new Error('SELECT secret') }, B: { ids: ['q'] } }),
      { role: 'admin' },
      budget,
      {
        onFinish: (r) => finished.push(r),
      },
    );
    expect(records.map((r) => [r.stepId, r.status, r.error])).toEqual([
      ['a', 'error', 'the tool failed unexpectedly'],
      ['b', 'ok', undefined],
      ['c', 'skipped', 'depends on a, which failed: the tool failed unexpectedly'],
      ['d', 'skipped', 'depends on c, which was skipped'],
    ]);
    expect(finished).toHaveLength(4);
  });

  it('turns running and waiting steps into errors when the time budget runs out', async () => {
    const p: Plan = { steps: [title('a', 'A'), title('b', 'B', { dependsOn: ['a'] })] };
    const started = Date.now();
    const records = await executePlan(p, runner({ A: { ms: 5_000 } }), { role: 'admin' }, { ...budget, timeoutMs: 50 });
    // The budget ends the plan long before the 5 s step would (a loaded machine needs slack).
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(records.map((r) => [r.status, r.error])).toEqual([
      ['error', 'time budget exhausted'],
      ['error', 'time budget exhausted'],
    ]);
  });

  it('reuses unchanged steps and re-runs the edited one and its dependants', async () => {
    const p: Plan = { steps: [title('a', 'A'), title('b', 'B'), title('c', 'C', { dependsOn: ['b'] })] };
    const first = await executePlan(p, runner({}), { role: 'admin' }, budget);
    const edited: Plan = { steps: [p.steps[0]!, title('b', 'B2'), p.steps[2]!] };
    const rerun = stepsToRerun(edited, 'b');
    const reuse = new Map(first.filter((r) => !rerun.has(r.stepId)).map((r) => [r.stepId, r]));
    const log: string[] = [];
    const second = await executePlan(edited, runner({}, log), { role: 'admin' }, budget, {}, reuse);
    expect(log.filter((l) => l.startsWith('start'))).toEqual(['start B2', 'start C']);
    expect(second[0]).toBe(first[0]);
  });

  it('refuses a plan over the step budget', async () => {
    await expect(
      executePlan({ steps: [title('a', 'A'), title('b', 'B')] }, runner({}), { role: 'admin' }, { ...budget, maxSteps: 1 }),
    ).rejects.toThrow(ValidationError);
  });
});
