/**
 * The RAG module's shared shapes: the LLM port, the plan the model writes, the tools a plan may
 * call, and what executing a plan records. rag.service.ts ties them together.
 */
import type { Role } from '../shared/roles';

// ---------------------------------------------------------------- LLM port

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  /** The final content only: reasoning is never sent back (see llm-client.ts for the rule). */
  content: string;
}

export interface LlmRequest {
  messages: LlmMessage[];
  /** Upper bound on completion tokens (reasoning included for R1). */
  maxTokens?: number;
  /** Ask for a JSON object as content (`response_format: json_object` where the server supports it). */
  json?: boolean;
  signal?: AbortSignal;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  /** Tokens the model spent reasoning, when the server reports them. */
  reasoningTokens: number;
  /** Prompt tokens served from the server's context cache, when reported (DeepSeek). */
  cachedPromptTokens: number;
  /** Estimated cost in USD from the configured per-million-token prices; 0 when none are set. */
  costUsd: number;
  /** Requests made, retries included. */
  requests: number;
}

/** One piece of a streamed completion: reasoning and content arrive separately and in order. */
export type LlmDelta = { kind: 'reasoning'; text: string } | { kind: 'content'; text: string };

export interface LlmCompletion {
  content: string;
  reasoning: string;
  usage: LlmUsage;
  model: string;
  /** Server's finish reason, e.g. `stop` or `length`. */
  finishReason: string | null;
}

/**
 * A chat model behind an OpenAI-compatible API (DeepSeek, or a local R1 distill). Throws
 * LlmError (an AppError: UNAVAILABLE for transport, rate limits and 5xx after retries; BAD_USER_INPUT
 * when the server rejects the request as invalid; the abort reason when `signal` aborts).
 */
export interface LlmClient {
  readonly model: string;
  /** Streams when `onDelta` is given; resolves with the whole completion either way. */
  complete(request: LlmRequest, onDelta?: (delta: LlmDelta) => void): Promise<LlmCompletion>;
}

// ---------------------------------------------------------------- plans

export const TOOL_NAMES = [
  'searchCandidates',
  'searchJobs',
  'normalizeTitle',
  'graphNeighborhood',
  'introductionPaths',
  'talentFlow',
  'predictLinks',
  'aggregate',
  'matchCandidatesForJob',
  'getRecords',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/**
 * One step of a plan. `args` are JSON; a string of the form `$<stepId>.ids` (alone, or as an array
 * element) is replaced with the ids of the records that earlier step returned, and `$<stepId>.ids[0]`
 * with the first of them. A step runs once every step it references (and every step in `dependsOn`) has finished.
 */
export interface PlanStep {
  id: string;
  tool: ToolName;
  args: Record<string, unknown>;
  /** Why the model wants this step; shown to the user. */
  why?: string;
  dependsOn?: string[];
}

export interface Plan {
  steps: PlanStep[];
}

// ---------------------------------------------------------------- tools

/** A record a tool returned: what the model sees and what a citation resolves to. */
export interface RetrievedRecord {
  /** Data-hub UUID (the same id in Weaviate and Neo4j). */
  id: string;
  type: 'candidate' | 'job' | 'company' | 'skill' | 'occupation' | 'school' | 'consultant' | 'placement' | 'application';
  /** A short human label (name or title). */
  label: string;
  /** Fields the caller's role may read, as plain JSON; personal fields only for roles allowed to see them. */
  fields: Record<string, unknown>;
}

export interface ToolResult {
  records: RetrievedRecord[];
  /** Anything else the tool found that is not a record (paths, counts, flows), plain JSON. */
  data?: unknown;
  /** True when a row limit cut the result. */
  truncated: boolean;
}

export interface ToolContext {
  role: Role;
  /** Rows a step may return. */
  maxRows: number;
  signal?: AbortSignal;
}

export interface ToolSpec {
  name: ToolName;
  /** One paragraph for the model: what it does, its arguments, what it returns. */
  description: string;
  /** JSON Schema of `args`, shown to the model and used to validate a plan. */
  parameters: Record<string, unknown>;
}

// ---------------------------------------------------------------- execution

export type StepStatus = 'ok' | 'error' | 'skipped';

export interface StepRecord {
  stepId: string;
  tool: ToolName;
  /** Arguments as the model wrote them. */
  args: Record<string, unknown>;
  /** Arguments after `$step.ids` references were resolved. */
  resolvedArgs: Record<string, unknown>;
  status: StepStatus;
  /** Why it failed or was skipped, for the user and the model. */
  error?: string;
  result?: ToolResult;
  startedAt: string;
  ms: number;
}

export interface ExecutionBudget {
  maxSteps: number;
  /** Wall-clock limit for the whole plan. */
  timeoutMs: number;
  maxRowsPerStep: number;
  /** Steps run at once. */
  concurrency: number;
}

export interface Citation {
  /** The id as the model cited it. */
  id: string;
  type: RetrievedRecord['type'];
  label: string;
  /** The step whose result held the record. */
  stepId: string;
}

/** Events of one `ask`, in the order a subscriber receives them. */
export type RagEvent =
  | { type: 'REASONING'; phase: 'PLAN' | 'ANSWER'; text: string }
  | { type: 'PLAN'; plan: Plan }
  | { type: 'STEP_STARTED'; stepId: string; tool: ToolName }
  | { type: 'STEP_FINISHED'; step: StepRecord }
  | { type: 'ANSWER'; text: string }
  | { type: 'CITATIONS'; citations: Citation[]; rejected: string[] };
