import { gqlData } from '../api';
import { href } from '../route';
import { useLoad } from '../useQuery';
import { RecordLink, ScoreBar, Status } from './parts';

interface MatchHit {
  score: number;
  keywordScore: number | null;
  vectorScore: number | null;
  explanation: { summary: string; matchedTerms: string[]; matchedVectors: { name: string; similarity: number }[] };
  candidate: { id: string; name: string; currentTitle: string | null; location: string | null };
}
const MATCHES = `query Matches($id: ID!) {
  job(id: $id) { id title location company { id name } }
  candidatesForJob(jobId: $id, first: 20) { edges { node { score keywordScore vectorScore explanation { summary matchedTerms matchedVectors { name similarity } } candidate { id name currentTitle location } } } }
}`;

export function MatchesView({ id }: { id: string }) {
  const r = useLoad(
    () =>
      gqlData<{
        job: { id: string; title: string; location: string | null; company: { id: string; name: string } } | null;
        candidatesForJob: { edges: { node: MatchHit }[] };
      }>(MATCHES, { id }),
    [id],
  );
  const hits = r.data?.candidatesForJob.edges.map((e) => e.node) ?? [];
  const maxKeyword = Math.max(0, ...hits.map((h) => h.keywordScore ?? 0));
  const sections = [...new Set(hits.flatMap((h) => h.explanation.matchedVectors.map((v) => v.name)))];
  return (
    <section aria-labelledby="matches-title">
      <Status loading={r.loading && !r.data} error={r.error}>
        {r.data?.job && (
          <>
            <h1 id="matches-title">Matches: {r.data.job.title}</h1>
            <p className="sub">
              <RecordLink id={r.data.job.company.id}>{r.data.job.company.name}</RecordLink>
              {r.data.job.location ? ` · ${r.data.job.location}` : ''} · <a href={href('record', id)}>job record</a>
            </p>
            <ol className="hits matches" data-testid="matches">
              {hits.map((h) => (
                <li key={h.candidate.id}>
                  <RecordLink id={h.candidate.id}>{h.candidate.name}</RecordLink>
                  <span className="sub">{[h.candidate.currentTitle, h.candidate.location].filter(Boolean).join(' · ')}</span>
                  <div className="scores">
                    <ScoreBar label="score" value={h.score} />
                    <ScoreBar label="keyword (BM25)" value={h.keywordScore} max={maxKeyword} />
                    <ScoreBar label="meaning" value={h.vectorScore} />
                    {sections.map((s) => (
                      <ScoreBar
                        key={s}
                        label={`${s} section`}
                        value={h.explanation.matchedVectors.find((v) => v.name === s)?.similarity ?? null}
                      />
                    ))}
                    <p className="why">
                      {h.explanation.summary}
                      {h.explanation.matchedTerms.length > 0 && <> · terms: {h.explanation.matchedTerms.join(', ')}</>}
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          </>
        )}
      </Status>
    </section>
  );
}
