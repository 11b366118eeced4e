import { gql, gqlData } from '../api';
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

/** A stored match score (bi.match_scores): the numbers BI tools read for this job. */
interface StoredScore {
  rank: number;
  score: number;
  modelVersion: string;
  computedAt: string;
  explanation: string;
  candidate: { id: string; name: string } | null;
  components: Record<Component, number | null>;
}
type Component = (typeof COMPONENTS)[number][0];

/** The stored components, in the API's words; counts and BM25 are scaled to the largest shown, the rest are 0..1. */
const COMPONENTS = [
  ['keyword', 'keyword (BM25F)', 'scaled'],
  ['vector', 'meaning', 'unit'],
  ['vectorTitle', 'title section', 'unit'],
  ['vectorSkills', 'skills section', 'unit'],
  ['vectorProfile', 'profile section', 'unit'],
  ['skillsRequired', 'required skills held', 'unit'],
  ['skillsPreferred', 'preferred skills held', 'unit'],
  ['seniorityFit', 'seniority fit', 'unit'],
  ['locationFit', 'location fit', 'unit'],
  ['talentFlow', 'talent flow (moves)', 'count'],
  ['warmPath', 'former colleagues there', 'count'],
] as const;

const STORED = `query StoredScores($id: ID!) {
  job(id: $id) { id topMatches(first: 20) { rank score modelVersion computedAt explanation candidate { id name }
    components { ${COMPONENTS.map(([k]) => k).join(' ')} } } }
}`;

/** The job's stored match scores, as GraphQL (and so BI) has them; its own request, so a role refused them still sees the search breakdown. */
function StoredScores({ id }: { id: string }) {
  const r = useLoad(async () => {
    const { data, errors } = await gql<{ job: { topMatches: StoredScore[] } | null }>(STORED, { id });
    if (errors.length > 0) throw new Error(errors[0]!.message);
    return data?.job?.topMatches ?? [];
  }, [id]);
  const rows = r.data ?? [];
  const max = (k: Component) => Math.max(0, ...rows.map((m) => m.components[k] ?? 0));
  return (
    <section aria-labelledby="stored-title">
      <h2 id="stored-title">Match scores (as BI sees them)</h2>
      <Status loading={r.loading && !r.data} error={r.error}>
        {rows.length === 0 ? (
          <p role="status">No stored match scores for this job yet (they exist for open jobs once the scores projection has run).</p>
        ) : (
          <>
            <p className="sub">
              Model {[...new Set(rows.map((m) => m.modelVersion))].join(', ')}; computed{' '}
              {rows[0]!.computedAt.slice(0, 16).replace('T', ' ')} UTC
            </p>
            <ol className="hits matches" data-testid="match-scores">
              {rows.map((m) => (
                <li key={m.candidate?.id ?? m.rank} data-rank={m.rank}>
                  <span className="rank">#{m.rank}</span>{' '}
                  {m.candidate ? <RecordLink id={m.candidate.id}>{m.candidate.name}</RecordLink> : 'not visible to this role'}
                  <span className="sub">model {m.modelVersion}</span>
                  <div className="scores">
                    <ScoreBar label="score" value={m.score} />
                    {COMPONENTS.map(([k, label, scale]) => (
                      <ScoreBar
                        key={k}
                        label={label}
                        value={m.components[k]}
                        max={scale === 'unit' ? 1 : max(k)}
                        digits={scale === 'count' ? 0 : 3}
                      />
                    ))}
                    <p className="why">{m.explanation}</p>
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
            <div className="results">
              <section aria-labelledby="search-breakdown-title">
                <h2 id="search-breakdown-title">Search breakdown</h2>
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
              </section>
              <StoredScores id={id} />
            </div>
          </>
        )}
      </Status>
    </section>
  );
}
