/**
 * Reading the plan a model wrote: find the one JSON object in its output, check it is a well-formed,
 * acyclic plan over known tools with valid arguments, and later substitute `$<step>.ids`
 * references with what earlier steps returned. Every problem is reported at once, with a path,
 * because the caller sends the list back to the model for a single repair round.
 */
import { ValidationError, type FieldProblem } from '../shared/errors';
import { validateAgainstSchema, type JsonSchema } from './tools/tool-schema';
import type { Plan, PlanStep, ToolName, ToolResult, ToolSpec } from './types';

export const STEP_ID = /^[a-z][a-z0-9_]{0,31}$/i;
/** `$s1.ids` or `$s1.ids[0]`; the only expressions a plan may contain. */
const REFERENCE = /^\$([a-z][a-z0-9_]{0,31})\.ids(?:\[(\d+)\])?$/i;
/** Looks like an attempt at a reference (`$s1.records`, `$s1.ids[-1]`), so it is reported rather than sent as text. */
const REFERENCE_LIKE = /^\$[a-z][a-z0-9_]*\./i;
/** Stands in for referenced ids while validating, so a reference passes wherever an id is expected. */
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

export interface StepReference {
  stepId: string;
  /** Set for `$s.ids[N]`: one id; unset: every id. */
  index?: number;
  /** Where in the args it occurs, e.g. `ids.0`. */
  path: string;
}

// ---------------------------------------------------------------- extracting JSON

/**
 * The first JSON object in model output: inside a ```json fence if there is one, otherwise the
 * first balanced `{...}` that parses (prose before and after is common, even when asked for JSON only).
 */
export function extractJsonObject(text: string): Record<string, unknown> | null {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const candidates = fenced ? [fenced[1]!, text] : [text];
  for (const candidate of candidates) {
    for (let start = candidate.indexOf('{'); start >= 0; start = candidate.indexOf('{', start + 1)) {
      const end = matchingBrace(candidate, start);
      if (end < 0) break;
      try {
        const value = JSON.parse(candidate.slice(start, end + 1));
        if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // Not JSON from this brace (prose such as "{like this}"); try the next one.
      }
    }
  }
  return null;
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside JSON strings; -1 if unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

// ---------------------------------------------------------------- references

/** Every `$<step>.ids` reference in `args`, with its path. Malformed ones are returned in `malformed`. */
export function findReferences(args: unknown, path = ''): { references: StepReference[]; malformed: FieldProblem[] } {
  const references: StepReference[] = [];
  const malformed: FieldProblem[] = [];
  walkStrings(args, path, (text, at) => {
    const m = REFERENCE.exec(text);
    if (m) references.push({ stepId: m[1]!, index: m[2] === undefined ? undefined : Number(m[2]), path: at });
    else if (REFERENCE_LIKE.test(text))
      malformed.push({ path: at, message: `"${text.slice(0, 60)}" is not a reference; write $<stepId>.ids or $<stepId>.ids[N]` });
  });
  return { references, malformed };
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, join(path, i), visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, join(path, k), visit);
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** Steps that must finish before `step` runs: its `dependsOn` and every step its args reference. */
export function stepDependencies(step: PlanStep): string[] {
  const refs = findReferences(step.args).references.map((r) => r.stepId);
  return [...new Set([...(step.dependsOn ?? []), ...refs])];
}

/**
 * Replaces references with ids: `$s.ids` as an array element is spread into the array, `$s.ids`
 * as a value becomes the array of ids, `$s.ids[N]` becomes the N-th id. Throws ValidationError when
 * a referenced step has no result or too few records.
 */
export function resolveArgs(args: Record<string, unknown>, results: Map<string, ToolResult>): Record<string, unknown> {
  return substitute(args, '', (ref) => {
    const result = results.get(ref.stepId);
    if (!result) throw new ValidationError([{ path: ref.path, message: `step ${ref.stepId} has no result to refer to` }], 'Cannot resolve');
    return result.records.map((r) => r.id);
  }) as Record<string, unknown>;
}

function substitute(value: unknown, path: string, idsOf: (ref: StepReference) => string[]): unknown {
  if (typeof value === 'string') {
    const ref = parseReference(value, path);
    return ref ? pick(ref, idsOf(ref)) : value;
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const ref = typeof item === 'string' ? parseReference(item, join(path, i)) : null;
      if (ref && ref.index === undefined) return idsOf(ref);
      return [substitute(item, join(path, i), idsOf)];
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, join(path, k), idsOf)]));
  }
  return value;
}

function parseReference(text: string, path: string): StepReference | null {
  const m = REFERENCE.exec(text);
  return m ? { stepId: m[1]!, index: m[2] === undefined ? undefined : Number(m[2]), path } : null;
}

function pick(ref: StepReference, ids: string[]): string | string[] {
  if (ref.index === undefined) return ids;
  const id = ids[ref.index];
  if (id === undefined) {
    throw new ValidationError(
      [
        {
          path: ref.path,
          message: `step ${ref.stepId} returned ${ids.length} record(s), so $${ref.stepId}.ids[${ref.index}] does not exist`,
        },
      ],
      'Cannot resolve',
    );
  }
  return id;
}

// ---------------------------------------------------------------- parsing and validating

/**
 * Parses and validates a plan. Throws ValidationError ('Invalid plan: path: problem; ...') listing
 * every problem found: no JSON object, bad shape, bad or duplicate step ids, unknown tools,
 * references to unknown, the same or later steps (which also rules out cycles), too many steps,
 * and arguments that break the tool's schema (paths like `steps.1.args.first`).
 */
export function parsePlan(text: string, specs: ToolSpec[], limits: { maxSteps: number }): Plan {
  const root = extractJsonObject(text);
  if (!root) throw planError([{ path: '(plan)', message: 'no JSON object found; answer with one object {"steps": [...]}' }]);
  if (!Array.isArray(root.steps)) throw planError([{ path: 'steps', message: 'must be an array of steps' }]);
  const problems: FieldProblem[] = [];
  if (root.steps.length === 0) problems.push({ path: 'steps', message: 'needs at least one step' });
  if (root.steps.length > limits.maxSteps)
    problems.push({ path: 'steps', message: `has ${root.steps.length} steps; at most ${limits.maxSteps} are allowed` });
  const toolSpecs = new Map(specs.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const steps = root.steps.map((raw, i) => checkStep(raw, `steps.${i}`, toolSpecs, seen, problems));
  if (problems.length) throw planError(problems);
  return { steps: steps as PlanStep[] };
}

const planError = (problems: FieldProblem[]) => new ValidationError(problems, 'Invalid plan');

/** Checks one step against the steps before it (`earlier`), adding its id to `earlier` when valid. */
function checkStep(
  raw: unknown,
  path: string,
  specs: Map<string, ToolSpec>,
  earlier: Set<string>,
  problems: FieldProblem[],
): PlanStep | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ path, message: 'must be an object {id, tool, args}' });
    return null;
  }
  const step = raw as Record<string, unknown>;
  const id = checkId(step.id, path, earlier, problems);
  const spec = typeof step.tool === 'string' ? specs.get(step.tool) : undefined;
  if (!spec)
    problems.push({
      path: `${path}.tool`,
      message: `unknown tool ${JSON.stringify(step.tool)}; use one of ${[...specs.keys()].join(', ')}`,
    });
  const args = step.args === undefined ? {} : step.args;
  if (!args || typeof args !== 'object' || Array.isArray(args)) {
    problems.push({ path: `${path}.args`, message: 'must be an object' });
  } else {
    problems.push(...checkReferences(args, `${path}.args`, earlier));
    if (spec) problems.push(...checkArgs(spec, args as Record<string, unknown>, `${path}.args`));
  }
  const dependsOn = checkDependsOn(step.dependsOn, `${path}.dependsOn`, earlier, problems);
  if (step.why !== undefined && typeof step.why !== 'string') problems.push({ path: `${path}.why`, message: 'must be a string' });
  if (id) earlier.add(id);
  return {
    id: id ?? '',
    tool: (spec?.name ?? step.tool) as ToolName,
    args: args as Record<string, unknown>,
    ...(typeof step.why === 'string' ? { why: step.why } : {}),
    ...(dependsOn ? { dependsOn } : {}),
  };
}

function checkId(id: unknown, path: string, earlier: Set<string>, problems: FieldProblem[]): string | null {
  if (typeof id !== 'string' || !STEP_ID.test(id)) {
    problems.push({ path: `${path}.id`, message: 'must be a letter then up to 31 letters, digits or _ (e.g. s1)' });
    return null;
  }
  if (earlier.has(id)) {
    problems.push({ path: `${path}.id`, message: `"${id}" is used by an earlier step; step ids must be unique` });
    return null;
  }
  return id;
}

/** A step may only refer to steps before it: that keeps every plan acyclic by construction. */
function mustBeEarlier(ref: string, path: string, earlier: Set<string>): FieldProblem[] {
  return earlier.has(ref) ? [] : [{ path, message: `refers to "${ref}", which is not an earlier step` }];
}

function checkReferences(args: object, path: string, earlier: Set<string>): FieldProblem[] {
  const { references, malformed } = findReferences(args, path);
  return [...malformed, ...references.flatMap((r) => mustBeEarlier(r.stepId, r.path, earlier))];
}

function checkDependsOn(value: unknown, path: string, earlier: Set<string>, problems: FieldProblem[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push({ path, message: 'must be an array of step ids' });
    return undefined;
  }
  value.forEach((ref, i) => problems.push(...mustBeEarlier(ref as string, `${path}.${i}`, earlier)));
  return [...new Set(value as string[])];
}

/** Validates args with references replaced by a placeholder id, since their values are known only at run time. */
function checkArgs(spec: ToolSpec, args: Record<string, unknown>, path: string): FieldProblem[] {
  const standIn = substitute(args, '', (ref) => Array<string>((ref.index ?? 0) + 1).fill(PLACEHOLDER_ID));
  return validateAgainstSchema(spec.parameters as JsonSchema, standIn, path);
}

// ---------------------------------------------------------------- re-running

/** The edited step and every step that depends on it, directly or transitively: what a re-run must redo. */
export function stepsToRerun(plan: Plan, editedStepId: string): Set<string> {
  if (!plan.steps.some((s) => s.id === editedStepId)) {
    throw new ValidationError([{ path: 'stepId', message: `no step "${editedStepId}" in the plan` }]);
  }
  const rerun = new Set([editedStepId]);
  // Steps only depend on earlier steps, so one pass in plan order reaches every dependant.
  for (const step of plan.steps) {
    if (stepDependencies(step).some((d) => rerun.has(d))) rerun.add(step.id);
  }
  return rerun;
}
