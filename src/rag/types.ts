/**
 * The RAG module's shared shapes: the plan the model writes, the tools a plan may
 * call, and what executing a plan records. rag.service.ts ties them together; the model itself is
 * behind the LLM port (adapters/llm/llm.ts).
 */
import type { Role } from '../shared/roles';

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
