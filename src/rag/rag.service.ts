import type { DataSource } from 'typeorm';
import type { Config } from '../shared/config';
import type { Viewer } from '../hub/api-key.service';
import { isUuid } from '../shared/global-id';
import { PersonalDataAudit, personalReadsInRecords } from '../hub/personal-data-audit';
import { AppError, ValidationError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { CitationFilter } from './citations';
import type { RagConversation, RagTurn } from '../hub/entities/conversation.entity';
import { ConversationRepository } from '../hub/repositories/conversation.repository';
import { executePlan, stepsToRerun } from './executor';
import { llmNotConfigured } from '../adapters/llm/llm';
import { parsePlan } from './plan';
import { answerMessages, dataForAnswer, plannerMessages, repairMessages, type EarlierTurn } from './prompts';
import type { RagTools } from './tools/rag-tools';
import type { Citation, Plan, RagEvent, RetrievedRecord, StepRecord } from './types';
import type { LlmClient, LlmCompletion, LlmMessage, LlmUsage } from '../adapters/llm/llm';

export interface RagTimings {
  planMs: number;
  toolsMs: number;
  answerMs: number;
  totalMs: number;
}

export interface RagAnswer {
  turnId: string;
  conversationId: string;
  position: number;
  question: string;
  answer: string;
  reasoning: string;
  plan: Plan;
  /** How the plan came about: the model's first plan, its repaired plan, a user's edit, or the search fallback. */
  planSource: 'MODEL' | 'REPAIRED' | 'EDITED' | 'FALLBACK';
  steps: StepRecord[];
  citations: Citation[];
  rejectedCitations: string[];
  usage: LlmUsage;
  timings: RagTimings;
  rerunOf: string | null;
}

export interface AskOptions {
  viewer: Viewer;
  signal?: AbortSignal;
  /** Receives every event as it happens (the subscription). */
  emit?: (event: RagEvent) => void;
}

type RagConfig = Config['rag'];

/** Earlier turns shown to the model for a follow-up: enough for "those candidates", small enough to stay cheap. */
const HISTORY_TURNS = 3;
const HISTORY_RECORDS = 40;

const ZERO_USAGE: LlmUsage = { promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedPromptTokens: 0, costUsd: 0, requests: 0 };

function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    cachedPromptTokens: a.cachedPromptTokens + b.cachedPromptTokens,
    costUsd: a.costUsd + b.costUsd,
    requests: a.requests + b.requests,
  };
}

/**
 * Question answering over the data hub's own services: the model writes a plan (validated against
 * the tool allow-list, repaired once when invalid), we execute it, and the model answers from the
 * step results with citations we check against what the steps returned. Every turn is stored with
 * its plan, steps, citations and usage, whether it succeeded or not.
 */
export class RagService {
  private readonly conversations: ConversationRepository;

  constructor(
    private readonly ds: DataSource,
    private readonly llm: LlmClient | null,
    private readonly tools: RagTools,
    private readonly config: RagConfig,
    private readonly log: Logger,
  ) {
    this.conversations = new ConversationRepository(ds);
  }

  get configured(): boolean {
    return this.llm !== null;
  }

  async ask(question: string, conversationId: string | null, options: AskOptions): Promise<RagAnswer> {
    const llm = this.requireLlm();
    const q = this.checkQuestion(question);
    const earlier = conversationId ? await this.history(conversationId, options.viewer) : [];
    const started = Date.now();
    const state = new TurnState(q, conversationId, null, options.emit);
    try {
      const planned = await this.plan(llm, q, earlier, state, options.signal);
      state.timings.planMs = Date.now() - started;
      return await this.runAndAnswer(llm, planned.plan, planned.source, earlier, new Map(), state, options, started);
    } catch (err) {
      await this.saveFailed(state, err, options.viewer);
      throw err;
    }
  }

  /**
   * Re-runs a stored turn with one step's arguments replaced: that step and every step depending on it
   * run again, the others keep their stored results, and the model answers anew. A new turn records it.
   */
  async rerun(turnId: string, stepId: string, args: Record<string, unknown>, options: AskOptions): Promise<RagAnswer> {
    const llm = this.requireLlm();
    const turn = await this.ownedTurn(turnId, options.viewer);
    const plan = turn.plan as Plan;
    if (!plan.steps.some((s) => s.id === stepId)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `stepId: turn ${turnId} has no step "${stepId}"; use one of ${plan.steps.map((s) => s.id).join(', ')}`,
      );
    }
    const edited: Plan = { steps: plan.steps.map((s) => (s.id === stepId ? { ...s, args } : s)) };
    const checked = this.validatePlan(JSON.stringify(edited));
    const rerun = stepsToRerun(checked, stepId);
    const reuse = new Map((turn.steps as StepRecord[]).filter((s) => !rerun.has(s.stepId)).map((s) => [s.stepId, s]));
    const earlier = await this.history(turn.conversationId, options.viewer, turn.position);
    const started = Date.now();
    const state = new TurnState(turn.question, turn.conversationId, turn.id, options.emit);
    try {
      return await this.runAndAnswer(llm, checked, 'EDITED', earlier, reuse, state, options, started);
    } catch (err) {
      await this.saveFailed(state, err, options.viewer);
      throw err;
    }
  }

  /** A conversation of the caller's key, with its turns in order. */
  async conversation(id: string, viewer: Viewer): Promise<{ conversation: RagConversation; turns: RagAnswer[] }> {
    const conversation = await this.ownedConversation(id, viewer);
    const turns = await this.conversations.turns(id);
    return { conversation, turns: turns.map(toAnswer) };
  }

  // ------------------------------------------------------------------ steps of a turn

  private async plan(
    llm: LlmClient,
    question: string,
    earlier: EarlierTurn[],
    state: TurnState,
    signal?: AbortSignal,
  ): Promise<{ plan: Plan; source: RagAnswer['planSource'] }> {
    const messages = plannerMessages(question, this.tools.specs(), this.config.maxSteps, earlier);
    const first = await this.complete(llm, messages, 'PLAN', state, signal, true);
    try {
      return { plan: this.validatePlan(first.content), source: 'MODEL' };
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      this.log.info('plan rejected; asking the model to repair it', { problems: err.message.slice(0, 500) });
      const second = await this.complete(llm, repairMessages(messages, first.content, err.message), 'PLAN', state, signal, true);
      try {
        return { plan: this.validatePlan(second.content), source: 'REPAIRED' };
      } catch (again) {
        if (!(again instanceof ValidationError)) throw again;
        // Two invalid plans: answer from a hybrid search over the question rather than not at all.
        this.log.warn('repaired plan rejected too; falling back to hybrid search', { problems: again.message.slice(0, 500) });
        return { plan: this.fallbackPlan(question), source: 'FALLBACK' };
      }
    }
  }

  private async runAndAnswer(
    llm: LlmClient,
    plan: Plan,
    planSource: RagAnswer['planSource'],
    earlier: EarlierTurn[],
    reuse: Map<string, StepRecord>,
    state: TurnState,
    options: AskOptions,
    started: number,
  ): Promise<RagAnswer> {
    state.plan = plan;
    state.emit({ type: 'PLAN', plan });
    const toolsStarted = Date.now();
    state.steps = await executePlan(
      plan,
      this.tools,
      { role: options.viewer.role, signal: options.signal },
      {
        maxSteps: this.config.maxSteps,
        timeoutMs: this.config.timeoutMs,
        maxRowsPerStep: this.config.maxRowsPerStep,
        concurrency: this.config.concurrency,
      },
      {
        onStart: (step) => state.emit({ type: 'STEP_STARTED', stepId: step.id, tool: step.tool }),
        onFinish: (record) => state.emit({ type: 'STEP_FINISHED', step: record }),
      },
      reuse,
    );
    state.timings.toolsMs = Date.now() - toolsStarted;
    await this.auditPersonalReads(state.steps, options.viewer);
    throwIfAborted(options.signal);

    const answerStarted = Date.now();
    const sources = citable(state.steps, earlier);
    const filter = new CitationFilter(new Set(sources.keys()));
    // Stored is exactly what the user was shown: the filtered pieces, in order.
    let shownText = '';
    const show = (shown: string) => {
      if (!shown) return;
      shownText += shown;
      state.emit({ type: 'ANSWER', text: shown });
    };
    await this.complete(
      llm,
      answerMessages(state.question, dataForAnswer(state.steps, earlier), earlier),
      'ANSWER',
      state,
      options.signal,
      false,
      (text) => show(filter.push(text)),
    );
    show(filter.end());
    state.answer = shownText;
    const checked = filter.result();
    state.citations = checked.kept.map((id) => sources.get(id)!);
    state.rejected = checked.rejected;
    if (state.rejected.length > 0) this.log.info('removed citations to records no step returned', { count: state.rejected.length });
    state.emit({ type: 'CITATIONS', citations: state.citations, rejected: state.rejected });
    state.timings.answerMs = Date.now() - answerStarted;
    state.timings.totalMs = Date.now() - started;
    return this.save(state, planSource, 'ANSWERED', null, options.viewer);
  }

  private async complete(
    llm: LlmClient,
    messages: LlmMessage[],
    phase: 'PLAN' | 'ANSWER',
    state: TurnState,
    signal: AbortSignal | undefined,
    json: boolean,
    onContent?: (text: string) => void,
  ): Promise<LlmCompletion> {
    const completion = await llm.complete({ messages, json, signal, maxTokens: this.config.maxAnswerTokens }, (delta) => {
      if (delta.kind === 'reasoning') state.emit({ type: 'REASONING', phase, text: delta.text });
      else onContent?.(delta.text);
    });
    state.usage = addUsage(state.usage, completion.usage);
    if (completion.reasoning) state.reasoning += (state.reasoning ? '\n\n' : '') + completion.reasoning;
    return completion;
  }

  /**
   * Step results go to the model and to the caller (steps, records, STEP_FINISHED events), so personal
   * fields in them are read, whether or not the answer cites them: one audit INSERT per turn. Fails
   * open like the GraphQL audit (personal-data-audit.plugin.ts says why); this also covers askStream,
   * which runs over WebSocket outside Apollo's request pipeline.
   */
  private async auditPersonalReads(steps: StepRecord[], viewer: Viewer): Promise<void> {
    const reads = personalReadsInRecords(
      steps.flatMap((s) => s.result?.records ?? []),
      viewer.role,
    );
    try {
      await new PersonalDataAudit(this.ds).write(viewer, reads);
    } catch (err) {
      this.log.error('personal-data audit write failed; the RAG turn went on', { err, keyId: viewer.keyId, reads });
    }
  }

  private validatePlan(text: string): Plan {
    return parsePlan(text, this.tools.specs(), { maxSteps: this.config.maxSteps });
  }

  private fallbackPlan(question: string): Plan {
    const query = question.slice(0, 500);
    return {
      steps: [
        { id: 's1', tool: 'searchCandidates', args: { query }, why: 'The model gave no valid plan: candidates matching the question.' },
        { id: 's2', tool: 'searchJobs', args: { query }, why: 'The model gave no valid plan: jobs matching the question.' },
      ],
    };
  }

  // ------------------------------------------------------------------ persistence

  private async history(conversationId: string, viewer: Viewer, beforePosition?: number): Promise<EarlierTurn[]> {
    await this.ownedConversation(conversationId, viewer);
    const rows = await this.conversations.answeredTurns(conversationId, HISTORY_TURNS, beforePosition);
    let budget = HISTORY_RECORDS;
    return rows.reverse().map((t) => {
      const seen = new Map<string, Pick<RetrievedRecord, 'id' | 'type' | 'label'>>();
      for (const s of t.steps as StepRecord[])
        for (const r of s.result?.records ?? []) if (!seen.has(r.id)) seen.set(r.id, { id: r.id, type: r.type, label: r.label });
      const records = [...seen.values()].slice(0, Math.max(0, budget));
      budget -= records.length;
      const cited = (t.citations as Citation[]).slice(0, HISTORY_RECORDS).map((c) => ({ id: c.id, type: c.type, label: c.label }));
      return { question: t.question, answer: t.answer, records, cited };
    });
  }

  private async ownedConversation(id: string, viewer: Viewer): Promise<RagConversation> {
    const found = isUuid(id) ? await this.conversations.find(id) : null;
    if (!found || found.ownerKeyId !== viewer.keyId) {
      throw new AppError(
        'NOT_FOUND',
        `conversationId: no conversation ${JSON.stringify(id.slice(0, 64))} belongs to this API key; omit it to start a new one`,
      );
    }
    return found;
  }

  private async ownedTurn(id: string, viewer: Viewer): Promise<RagTurn> {
    const turn = isUuid(id) ? await this.conversations.findTurn(id) : null;
    const owner = turn ? await this.conversations.find(turn.conversationId) : null;
    if (!turn || owner?.ownerKeyId !== viewer.keyId)
      throw new AppError('NOT_FOUND', `turnId: no turn ${JSON.stringify(id.slice(0, 64))} belongs to this API key`);
    return turn;
  }

  private async save(
    state: TurnState,
    planSource: RagAnswer['planSource'],
    status: RagTurn['status'],
    error: string | null,
    viewer: Viewer,
  ): Promise<RagAnswer> {
    const turn = await this.ds.transaction((em) =>
      new ConversationRepository(em).appendTurn(
        state.conversationId,
        { ownerKeyId: viewer.keyId, title: state.question.slice(0, 200) },
        {
          question: state.question,
          status,
          answer: state.answer,
          reasoning: state.reasoning,
          plan: { ...state.plan, source: planSource },
          steps: state.steps,
          citations: state.citations,
          rejectedCitations: state.rejected,
          usage: state.usage,
          timings: state.timings,
          error,
          rerunOf: state.rerunOf,
        },
      ),
    );
    return toAnswer(turn);
  }

  /** A failed or cancelled turn is stored too (what was planned and run, and why it stopped), then the error goes on. */
  private async saveFailed(state: TurnState, err: unknown, viewer: Viewer): Promise<void> {
    const cancelled = isAbort(err);
    if (!cancelled && !(err instanceof AppError)) this.log.error('question failed', { err });
    try {
      await this.save(
        state,
        'MODEL',
        cancelled ? 'CANCELLED' : 'FAILED',
        err instanceof Error ? err.message.slice(0, 2000) : String(err),
        viewer,
      );
    } catch (saveErr) {
      this.log.warn('could not store the failed turn', { err: saveErr });
    }
  }

  private requireLlm(): LlmClient {
    if (!this.llm) throw llmNotConfigured();
    return this.llm;
  }

  private checkQuestion(question: string): string {
    const q = question.trim();
    if (!q) throw new AppError('BAD_USER_INPUT', 'question: ask something (the question is empty)');
    if (q.length > this.config.maxQuestionChars) {
      throw new AppError(
        'BAD_USER_INPUT',
        `question: at most ${this.config.maxQuestionChars} characters (got ${q.length}); shorten it or split it into follow-ups`,
      );
    }
    return q;
  }
}

/** What one turn has gathered so far; stored whole at the end, whatever the outcome. */
class TurnState {
  plan: Plan | null = null;
  steps: StepRecord[] = [];
  answer = '';
  reasoning = '';
  citations: Citation[] = [];
  rejected: string[] = [];
  usage: LlmUsage = { ...ZERO_USAGE };
  timings: RagTimings = { planMs: 0, toolsMs: 0, answerMs: 0, totalMs: 0 };

  constructor(
    readonly question: string,
    readonly conversationId: string | null,
    readonly rerunOf: string | null,
    private readonly sink?: (event: RagEvent) => void,
  ) {}

  emit(event: RagEvent): void {
    this.sink?.(event);
  }
}

/** Every record a citation may point at: this turn's step results first, then earlier turns' records. */
function citable(steps: StepRecord[], earlier: EarlierTurn[]): Map<string, Citation> {
  const out = new Map<string, Citation>();
  for (const s of steps) {
    for (const r of s.result?.records ?? []) {
      const id = r.id.toLowerCase();
      if (!out.has(id)) out.set(id, { id, type: r.type, label: r.label, stepId: s.stepId });
    }
  }
  earlier.forEach((t, i) => {
    for (const r of t.records) {
      const id = r.id.toLowerCase();
      if (!out.has(id)) out.set(id, { id, type: r.type, label: r.label, stepId: `earlier-${i + 1}` });
    }
  });
  return out;
}

function toAnswer(t: RagTurn): RagAnswer {
  const { source, ...plan } = (t.plan ?? { steps: [] }) as Plan & { source?: RagAnswer['planSource'] };
  return {
    turnId: t.id,
    conversationId: t.conversationId,
    position: t.position,
    question: t.question,
    answer: t.answer,
    reasoning: t.reasoning,
    plan: plan as Plan,
    planSource: source ?? 'MODEL',
    steps: t.steps as StepRecord[],
    citations: t.citations as Citation[],
    rejectedCitations: t.rejectedCitations,
    usage: { ...ZERO_USAGE, ...(t.usage as Partial<LlmUsage>) },
    timings: { planMs: 0, toolsMs: 0, answerMs: 0, totalMs: 0, ...(t.timings as Partial<RagTimings>) },
    rerunOf: t.rerunOf,
  };
}

function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError';
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const e = new Error('the question was cancelled');
    e.name = 'AbortError';
    throw e;
  }
}
