import { useState, type FormEvent } from 'react';
import { gqlData } from '../api';
import { href } from '../route';
import { useLoad } from '../useQuery';
import { RecordLink, ScoreBar, Status } from './parts';

interface Explanation {
  summary: string;
  matchedTerms: string[];
  matchedVectors: { name: string; similarity: number }[];
}
interface Hit {
  score: number;
  keywordScore: number | null;
  vectorScore: number | null;
  explanation: Explanation;
}
interface Results {
  searchCandidates: {
    edges: { node: Hit & { candidate: { id: string; name: string; currentTitle: string | null; location: string | null } } }[];
  };
  searchJobs: {
    edges: { node: Hit & { job: { id: string; title: string; location: string | null; company: { id: string; name: string } } } }[];
  };
  companies: { edges: { node: { id: string; name: string; industry: string | null; location: string | null } }[] };
}

const HIT = 'score keywordScore vectorScore explanation { summary matchedTerms matchedVectors { name similarity } }';
const SEARCH = `query Search($q: String!, $filter: SearchFilterInput, $company: CompanyFilter) {
  searchCandidates(query: $q, first: 10, filter: $filter) { edges { node { ${HIT} candidate { id name currentTitle location } } } }
  searchJobs(query: $q, first: 10, filter: $filter) { edges { node { ${HIT} job { id title location company { id name } } } } }
  companies(first: 10, filter: $company) { edges { node { id name industry location } } }
}`;

function splitList(s: string | null): string[] | undefined {
  const items = (s ?? '')
    .split(/[,，]/)
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

function HitScores({ hit, maxKeyword }: { hit: Hit; maxKeyword: number }) {
  return (
    <div className="scores">
      <ScoreBar label="score" value={hit.score} />
      <ScoreBar label="keyword (BM25)" value={hit.keywordScore} max={maxKeyword} />
      <ScoreBar label="meaning" value={hit.vectorScore} />
      <p className="why">
        {hit.explanation.summary}
        {hit.explanation.matchedTerms.length > 0 && <> · terms: {hit.explanation.matchedTerms.join(', ')}</>}
        {hit.explanation.matchedVectors.length > 0 && (
          <> · sections: {hit.explanation.matchedVectors.map((v) => `${v.name} ${v.similarity.toFixed(2)}`).join(', ')}</>
        )}
      </p>
    </div>
  );
}

export function SearchView({ params }: { params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [skills, setSkills] = useState(params.get('skills') ?? '');
  const [location, setLocation] = useState(params.get('location') ?? '');
  const result = useLoad(async () => {
    if (!q.trim()) return undefined;
    const filter = { skills: splitList(params.get('skills')), location: params.get('location') || undefined };
    return gqlData<Results>(SEARCH, { q, filter, company: { text: q, location: filter.location } });
  }, [params.toString()]);
  function submit(e: FormEvent) {
    e.preventDefault();
    window.location.hash = href('search', undefined, { q: text, skills, location });
  }
  const data = result.data;
  const maxKeyword = Math.max(
    0,
    ...(data?.searchCandidates.edges.map((e) => e.node.keywordScore ?? 0) ?? []),
    ...(data?.searchJobs.edges.map((e) => e.node.keywordScore ?? 0) ?? []),
  );
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form className="search" role="search" onSubmit={submit}>
        <label htmlFor="q">Candidates, companies and jobs</label>
        <input
          id="q"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. 数据工程师 上海, or a pasted job description"
        />
        <label htmlFor="skills">Skills (all of)</label>
        <input id="skills" value={skills} onChange={(e) => setSkills(e.target.value)} placeholder="Python, Spark" />
        <label htmlFor="location">Location (exact)</label>
        <input id="location" value={location} onChange={(e) => setLocation(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {q && (
        <Status loading={result.loading && !data} error={result.error}>
          {data && (
            <div className="results">
              <section aria-labelledby="r-candidates">
                <h2 id="r-candidates">Candidates ({data.searchCandidates.edges.length})</h2>
                <ol className="hits" data-testid="candidate-hits">
                  {data.searchCandidates.edges.map(({ node }) => (
                    <li key={node.candidate.id}>
                      <RecordLink id={node.candidate.id}>{node.candidate.name}</RecordLink>
                      <span className="sub">{[node.candidate.currentTitle, node.candidate.location].filter(Boolean).join(' · ')}</span>
                      <HitScores hit={node} maxKeyword={maxKeyword} />
                    </li>
                  ))}
                </ol>
              </section>
              <section aria-labelledby="r-jobs">
                <h2 id="r-jobs">Jobs ({data.searchJobs.edges.length})</h2>
                <ol className="hits" data-testid="job-hits">
                  {data.searchJobs.edges.map(({ node }) => (
                    <li key={node.job.id}>
                      <RecordLink id={node.job.id}>{node.job.title}</RecordLink>
                      <span className="sub">
                        {node.job.company.name}
                        {node.job.location ? ` · ${node.job.location}` : ''} · <a href={href('job', node.job.id)}>matches</a>
                      </span>
                      <HitScores hit={node} maxKeyword={maxKeyword} />
                    </li>
                  ))}
                </ol>
              </section>
              <section aria-labelledby="r-companies">
                <h2 id="r-companies">Companies ({data.companies.edges.length})</h2>
                <ul className="hits" data-testid="company-hits">
                  {data.companies.edges.map(({ node }) => (
                    <li key={node.id}>
                      <RecordLink id={node.id}>{node.name}</RecordLink>
                      <span className="sub">
                        {[node.industry, node.location].filter(Boolean).join(' · ')} · <a href={href('flow', node.id)}>talent flow</a>
                      </span>
                    </li>
                  ))}
                </ul>
                {data.companies.edges.length === 0 && <p className="hint">Company names containing the words.</p>}
              </section>
            </div>
          )}
        </Status>
      )}
    </section>
  );
}
