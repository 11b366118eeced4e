import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { subscriptions } from '../api';
import { href } from '../route';

interface PlanStep {
  id: string;
  tool: string;
  why: string | null;
  dependsOn: string[];
  args: Record<string, unknown>;
}
interface StepResult {
  stepId: string;
  tool: string;
  status: string;
  ms: number;
  error: string | null;
  records: { uuid: string; label: string; type: string }[];
}
interface Citation {
  uuid: string;
  nodeId: string | null;
  label: string;
  type: string;
  stepId: string;
}
interface StreamEvent {
  type: string;
  phase?: string | null;
  text?: string | null;
  plan?: PlanStep[] | null;
  stepId?: string | null;
  tool?: string | null;
  step?: StepResult | null;
  citations?: Citation[] | null;
  rejectedCitations?: string[] | null;
  error?: { code: string; message: string } | null;
  answer?: { turnId: string; conversationId: string } | null;
}

const ASK = `subscription Ask($question: String!, $conversationId: ID) {
  askStream(question: $question, conversationId: $conversationId) {
    type phase text stepId tool rejectedCitations
    plan { id tool why dependsOn args }
    step { stepId tool status ms error records { uuid label type } }
    citations { uuid nodeId label type stepId }
    error { code message }
    answer { turnId conversationId }
  }
}`;

interface AskState {
  reasoning: string;
  plan: PlanStep[];
  running: Set<string>;
  steps: Map<string, StepResult>;
  answer: string;
  citations: Citation[];
  rejected: string[];
  error?: string;
  done: boolean;
  conversationId?: string;
}
const EMPTY: AskState = {
  reasoning: '',
  plan: [],
  running: new Set(),
  steps: new Map(),
  answer: '',
  citations: [],
  rejected: [],
  done: false,
};

/** The answer with each `[uuid]` citation turned into a link to the cited record. */
function AnswerText({ text, citations }: { text: string; citations: Citation[] }) {
  const byUuid = new Map(citations.map((c) => [c.uuid, c]));
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(/\[([0-9a-f-]{36})\]/g)) {
    parts.push(text.slice(last, m.index));
    const c = byUuid.get(m[1]!);
    parts.push(
      c?.nodeId ? (
        <a key={m.index} href={href('record', c.nodeId)} className="cite">
          [{c.label}]
        </a>
      ) : (
        <span key={m.index} className="cite">
          [{c?.label ?? m[1]!.slice(0, 8)}]
        </span>
      ),
    );
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return <p className="answer-text">{parts}</p>;
}

export function AskView() {
  const [question, setQuestion] = useState('');
  const [state, setState] = useState<AskState>(EMPTY);
  const [busy, setBusy] = useState(false);
  const stop = useRef<() => void>(undefined);
  useEffect(() => () => stop.current?.(), []);

  function apply(e: StreamEvent) {
    setState((s) => {
      switch (e.type) {
        case 'REASONING':
          return { ...s, reasoning: s.reasoning + (e.text ?? '') };
        case 'PLAN':
          return { ...s, plan: e.plan ?? [] };
        case 'STEP_STARTED':
          return { ...s, running: new Set(s.running).add(e.stepId!) };
        case 'STEP_FINISHED': {
          const running = new Set(s.running);
          running.delete(e.stepId!);
          return { ...s, running, steps: new Map(s.steps).set(e.stepId!, e.step!) };
        }
        case 'ANSWER':
          return { ...s, answer: s.answer + (e.text ?? '') };
        case 'CITATIONS':
          return { ...s, citations: e.citations ?? [], rejected: e.rejectedCitations ?? [] };
        case 'DONE':
          return { ...s, done: true, conversationId: e.answer?.conversationId ?? s.conversationId };
        case 'ERROR':
          return { ...s, error: `${e.error?.code}: ${e.error?.message}`, done: true };
        default:
          return s;
      }
    });
  }

  function submit(ev: FormEvent, followUp: boolean) {
    ev.preventDefault();
    stop.current?.();
    const conversationId = followUp ? state.conversationId : undefined;
    setState({ ...EMPTY, conversationId });
    setBusy(true);
    stop.current = subscriptions().subscribe<{ askStream: StreamEvent }>(
      { query: ASK, variables: { question, conversationId } },
      {
        next: (r) => {
          if (r.data?.askStream) apply(r.data.askStream);
          else if (r.errors?.length) setState((s) => ({ ...s, error: r.errors!.map((x) => x.message).join('; '), done: true }));
        },
        error: (err) => {
          setState((s) => ({ ...s, error: err instanceof Error ? err.message : 'the connection closed', done: true }));
          setBusy(false);
        },
        complete: () => setBusy(false),
      },
    );
  }

  return (
    <section aria-labelledby="ask-title">
      <h1 id="ask-title">Ask</h1>
      <form className="ask" onSubmit={(e) => submit(e, false)}>
        <label htmlFor="question">Question</label>
        <textarea
          id="question"
          rows={3}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          placeholder="Who could introduce me to a senior data engineer at …?"
          required
        />
        <button type="submit" disabled={busy || !question.trim()}>
          Ask
        </button>
        {state.conversationId && state.done && (
          <button type="button" disabled={busy || !question.trim()} onClick={(e) => submit(e, true)}>
            Ask as a follow-up
          </button>
        )}
      </form>
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      {(busy || state.done) && (
        <div className="ask-out" aria-live="polite">
          <section aria-labelledby="plan-title">
            <h2 id="plan-title">Plan</h2>
            <ol data-testid="plan">
              {state.plan.map((p) => {
                const r = state.steps.get(p.id);
                return (
                  <li key={p.id} data-status={r?.status ?? (state.running.has(p.id) ? 'running' : 'waiting')}>
                    <code>{p.tool}</code> {p.why ?? ''}{' '}
                    <span className="sub">
                      {r
                        ? `${r.status}, ${r.records.length} records, ${r.ms} ms${r.error ? `: ${r.error}` : ''}`
                        : state.running.has(p.id)
                          ? 'running…'
                          : 'waiting'}
                    </span>
                  </li>
                );
              })}
            </ol>
          </section>
          <section aria-labelledby="reasoning-title">
            <h2 id="reasoning-title">Reasoning</h2>
            <pre className="reasoning" data-testid="reasoning">
              {state.reasoning}
            </pre>
          </section>
          <section aria-labelledby="answer-title">
            <h2 id="answer-title">Answer{state.done ? '' : ' (streaming)'}</h2>
            <div data-testid="answer">
              <AnswerText text={state.answer} citations={state.citations} />
            </div>
            {state.citations.length > 0 && (
              <>
                <h3>Citations</h3>
                <ul data-testid="citations">
                  {state.citations.map((c) => (
                    <li key={c.uuid}>
                      {c.nodeId ? <a href={href('record', c.nodeId)}>{c.label}</a> : c.label}{' '}
                      <span className="sub">
                        {c.type}, from step {c.stepId}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
