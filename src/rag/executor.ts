/**
 * Runs a validated plan as a DAG: a step starts once every step it depends on (`dependsOn` and
 * `$step.ids` references) has finished, independent steps run concurrently up to the budget, and
 * one failing step only takes down the steps that need its result. The whole plan shares one
 * wall-clock budget; when it runs out, running tools are told through the AbortSignal in their
 * ToolContext and every unfinished step is recorded as an error, so the answer can still be
 * written from what did finish.
 */
import type { Role } from '../shared/roles';
import { AppError, ValidationError } from '../shared/errors';
import { resolveArgs, stepDependencies } from './plan';
import type { ExecutionBudget, Plan, PlanStep, StepRecord, ToolContext, ToolName, ToolResult } from './types';

export { stepsToRerun } from './plan';

export const TIME_BUDGET_EXHAUSTED = 'time budget exhausted';
const CANCELLED = 'cancelled';

/** What the executor needs of RagTools; tests may pass a fake. */
export interface ToolRunner {
  run(name: ToolName, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

/** Progress callbacks, e.g. to stream STEP_STARTED / STEP_FINISHED. Exceptions they throw are ignored. */
export interface ExecutionHooks {
  onStart?(step: PlanStep): void;
  onFinish?(record: StepRecord): void;
}

/**
 * Runs `plan` and resolves with one record per step, in plan order; never rejects for a failing
 * step. Steps in `reuse` whose record is 'ok', whose args are unchanged and none of whose
 * dependencies ran again are returned as they are, without running and without hooks: that is how
 * "edit step N and re-run from there" keeps the results before N (see `stepsToRerun`).
 * Throws ValidationError only when the plan has more steps than `budget.maxSteps`.
 */
export async function executePlan(
  plan: Plan,
  tools: ToolRunner,
  ctx: { role: Role; signal?: AbortSignal },
  budget: ExecutionBudget,
  hooks: ExecutionHooks = {},
  reuse?: Map<string, StepRecord>,
): Promise<StepRecord[]> {
  if (plan.steps.length > budget.maxSteps) {
    throw new ValidationError([{ path: 'steps', message: `has ${plan.steps.length} steps; the budget allows ${budget.maxSteps}` }]);
  }
  const controller = new AbortController();
  const cancel = () => controller.abort(new AppError('UNAVAILABLE', CANCELLED));
  if (ctx.signal?.aborted) cancel();
  ctx.signal?.addEventListener('abort', cancel, { once: true });
  const timer = setTimeout(() => controller.abort(new AppError('UNAVAILABLE', TIME_BUDGET_EXHAUSTED)), budget.timeoutMs);
  try {
    const run = new PlanRun(
      plan,
      tools,
      { role: ctx.role, maxRows: budget.maxRowsPerStep, signal: controller.signal },
      budget,
      hooks,
      reuse,
    );
    return await run.done();
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', cancel);
  }
}

/** One execution: the scheduling state, kept together so each decision is a small method. */
class PlanRun {
  private readonly deps = new Map<string, string[]>();
  private readonly records = new Map<string, StepRecord>();
  private readonly invalid = new Map<string, string>();
  /** Steps that ran in this execution, so reused steps downstream of them are run again. */
  private readonly ran = new Set<string>();
  private pending: PlanStep[];
  private running = 0;
  private finish!: () => void;

  constructor(
    private readonly plan: Plan,
    private readonly tools: ToolRunner,
    private readonly ctx: ToolContext & { signal: AbortSignal },
    private readonly budget: ExecutionBudget,
    private readonly hooks: ExecutionHooks,
    private readonly reuse: Map<string, StepRecord> | undefined,
  ) {
    const earlier = new Set<string>();
    for (const step of plan.steps) {
      const deps = stepDependencies(step);
      this.deps.set(
        step.id,
        deps.filter((d) => earlier.has(d)),
      );
      // parsePlan rejects these; an unchecked plan must still not wait forever on a missing or later step.
      const invalid = deps.find((d) => !earlier.has(d));
      if (invalid) this.invalid.set(step.id, `depends on ${invalid}, which is not an earlier step`);
      earlier.add(step.id);
    }
    this.pending = [...plan.steps];
  }

  done(): Promise<StepRecord[]> {
    return new Promise<void>((resolve) => {
      this.finish = resolve;
      this.ctx.signal.addEventListener('abort', () => this.pump(), { once: true });
      this.pump();
    }).then(() => this.plan.steps.map((s) => this.records.get(s.id)!));
  }

  /** Settles every step that can be settled now and starts what the concurrency allows; called after every change. */
  private pump(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const step of [...this.pending]) {
        if (this.ctx.signal.aborted) this.settle(step, this.notRun(step, abortMessage(this.ctx.signal)));
        else if (!this.ready(step)) continue;
        else if (this.failedDependency(step)) this.settle(step, this.notRun(step, this.failedDependency(step)!, 'skipped'));
        else if (this.reusable(step)) this.settle(step, this.reuse!.get(step.id)!, false);
        else if (this.running < this.budget.concurrency) this.start(step);
        else continue;
        changed = true;
      }
    }
    if (this.pending.length === 0 && this.running === 0) this.finish();
  }

  private ready(step: PlanStep): boolean {
    return this.deps.get(step.id)!.every((d) => this.records.has(d));
  }

  /** Why `step` cannot run because of a dependency, or null when all of them succeeded. */
  private failedDependency(step: PlanStep): string | null {
    if (this.invalid.has(step.id)) return this.invalid.get(step.id)!;
    for (const d of this.deps.get(step.id)!) {
      const dep = this.records.get(d)!;
      if (dep.status === 'error') return `depends on ${d}, which failed: ${dep.error}`;
      if (dep.status === 'skipped') return `depends on ${d}, which was skipped`;
    }
    return null;
  }

  private reusable(step: PlanStep): boolean {
    const prior = this.reuse?.get(step.id);
    return (
      !!prior &&
      prior.status === 'ok' &&
      prior.tool === step.tool &&
      JSON.stringify(prior.args) === JSON.stringify(step.args) &&
      !this.deps.get(step.id)!.some((d) => this.ran.has(d))
    );
  }

  private start(step: PlanStep): void {
    this.pending = this.pending.filter((s) => s !== step);
    this.running++;
    this.ran.add(step.id);
    safely(() => this.hooks.onStart?.(step));
    void this.runStep(step).then((record) => {
      this.running--;
      this.settle(step, record);
      this.pump();
    });
  }

  private async runStep(step: PlanStep): Promise<StepRecord> {
    const startedAt = new Date();
    const base = { stepId: step.id, tool: step.tool, args: step.args, startedAt: startedAt.toISOString() };
    let resolvedArgs = step.args;
    try {
      resolvedArgs = resolveArgs(step.args, this.results());
      const result = await untilAborted(this.tools.run(step.tool, resolvedArgs, this.ctx), this.ctx.signal);
      return { ...base, resolvedArgs, status: 'ok', result: capRows(result, this.ctx.maxRows), ms: Date.now() - startedAt.getTime() };
    } catch (err) {
      const error = this.ctx.signal.aborted ? abortMessage(this.ctx.signal) : messageOf(err);
      return { ...base, resolvedArgs, status: 'error', error, ms: Date.now() - startedAt.getTime() };
    }
  }

  /** Records a step as finished; `notify` is false for reused records, which did not run now. */
  private settle(step: PlanStep, record: StepRecord, notify = true): void {
    this.pending = this.pending.filter((s) => s !== step);
    this.records.set(step.id, record);
    if (notify) safely(() => this.hooks.onFinish?.(record));
  }

  private notRun(step: PlanStep, error: string, status: 'error' | 'skipped' = 'error'): StepRecord {
    return {
      stepId: step.id,
      tool: step.tool,
      args: step.args,
      resolvedArgs: step.args,
      status,
      error,
      startedAt: new Date().toISOString(),
      ms: 0,
    };
  }

  private results(): Map<string, ToolResult> {
    const out = new Map<string, ToolResult>();
    for (const [id, r] of this.records) if (r.status === 'ok' && r.result) out.set(id, r.result);
    return out;
  }
}

/** Rejects with the signal's reason as soon as it aborts, even if the tool ignores the signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The row cap is the executor's promise to the prompt, so it holds even for a tool that ignores maxRows. */
function capRows(result: ToolResult, maxRows: number): ToolResult {
  if (result.records.length <= maxRows) return result;
  return { ...result, records: result.records.slice(0, maxRows), truncated: true };
}

/** Only an AppError's message is shown: anything else may hold SQL or internals, as the GraphQL layer masks it too. */
function messageOf(err: unknown): string {
  return err instanceof AppError ? err.message : 'the tool failed unexpectedly';
}

function abortMessage(signal: AbortSignal): string {
  return signal.reason instanceof AppError ? signal.reason.message : CANCELLED;
}

function safely(hook: () => void): void {
  try {
    hook();
  } catch {
    // A progress subscriber must not change the outcome of the plan.
  }
}
