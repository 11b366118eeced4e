/**
 * A scripted stand-in for the reasoning model behind `ask`, for the scripted OpenAI-compatible server.
 * It plays both of MatchHub's calls the way a model would read them: a planning request (it returns the
 * plan the test chose for the question) and an answering request (it reads the step results between
 * <data> tags and cites the first records of each step, plus, on request, an id nobody returned).
 * Everything else (tools, citation checks, storage, streaming) is the real code under test.
 */
import type { Responder, ScriptedResponse } from './scripted-llm-server';

export interface ScriptedRagModelOptions {
  /** The plan (as the model would write it) for a question; the earlier turns' record ids are given for follow-ups. */
  plan(question: string, earlierIds: string[]): unknown;
  /** Records cited per successful step (default 3). */
  citePerStep?: number;
  /** Which returned records to cite (default all, up to citePerStep per step). */
  citeIf?: (question: string, record: DataRecord) => boolean;
  /** An id to cite that no step returned (to check it is removed). */
  invented?: string;
  /** Characters per streamed delta. */
  chunkSize?: number;
  /** Pause before each streamed chunk of the answer. */
  answerDelayMs?: number;
  /** Reasoning inline as `<think>...</think>` in the content, as local R1 distills send it. */
  thinkInline?: boolean;
}

export interface DataRecord {
  id: string;
  type: string;
  label: string;
}
interface DataStep {
  step: string;
  status: string;
  records?: DataRecord[];
}

export const isPlanningRequest = (body: any) => systemText(body).includes('You plan how to answer');
export const isAnsweringRequest = (body: any) => lastUserText(body).includes('<data>');

export function scriptedRagModel(options: ScriptedRagModelOptions): Responder {
  return (body): ScriptedResponse => {
    const user = lastUserText(body);
    // A repair request ends with the complaint; the question is in the last message that has one.
    const question =
      [...userTexts(body)]
        .reverse()
        .map((t) => /^Question: (.*)$/m.exec(t)?.[1])
        .find((q) => q !== undefined) ?? '';
    if (isPlanningRequest(body)) {
      const earlierIds = [...user.matchAll(/^([0-9a-f-]{36})\t/gm)].map((m) => m[1]);
      return {
        reasoning: `The question asks: ${question}. I will pick the tools that answer it.`,
        content: JSON.stringify(options.plan(question, earlierIds)),
        usage: {
          prompt_tokens: 900,
          completion_tokens: 120,
          completion_tokens_details: { reasoning_tokens: 40 },
          prompt_cache_hit_tokens: 300,
        },
        chunkSize: options.chunkSize,
      };
    }
    if (isAnsweringRequest(body)) {
      const data = JSON.parse(/<data>\n([\s\S]*)\n<\/data>/.exec(user)![1]) as { steps: DataStep[] };
      const lines: string[] = [];
      for (const s of data.steps) {
        if (s.status !== 'ok') continue;
        const records = (s.records ?? []).filter((r) => options.citeIf?.(question, r) ?? true);
        for (const r of records.slice(0, options.citePerStep ?? 3)) lines.push(`${r.label} (${r.type}) [${r.id}]`);
      }
      if (options.invented) lines.push(`Also worth a look [${options.invented}]`);
      return {
        reasoning: `I have ${data.steps.length} step results; I cite what they returned.`,
        content: lines.length > 0 ? `Here is what I found:\n${lines.join('\n')}` : 'The data does not answer this question.',
        usage: { prompt_tokens: 2000, completion_tokens: 200, completion_tokens_details: { reasoning_tokens: 60 } },
        chunkSize: options.chunkSize,
        delayMs: options.answerDelayMs,
        thinkInline: options.thinkInline,
      };
    }
    return { status: 400, body: { error: { message: 'scripted model: neither a planning nor an answering request' } } };
  };
}

function systemText(body: any): string {
  return String(body?.messages?.find((m: { role: string }) => m.role === 'system')?.content ?? '');
}

function userTexts(body: any): string[] {
  return (body?.messages ?? [])
    .filter((m: { role: string }) => m.role === 'user')
    .map((m: { content: unknown }) => String(m.content ?? ''));
}

function lastUserText(body: any): string {
  const users = userTexts(body);
  return users[users.length - 1] ?? '';
}
