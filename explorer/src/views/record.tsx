import { gql, forbiddenPaths } from '../api';
import { href } from '../route';
import type { Session } from '../session';
import { useLoad } from '../useQuery';
import { RecordLink, Status } from './parts';

const RECORD = `query Record($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Candidate {
      name headline currentTitle location yearsExperience languages email phone desiredSalaryMin desiredSalaryMax salaryCurrency
      skills { level years skill { name } }
      experiences { title companyName startDate endDate company { id name } }
      education { school degree field startYear endYear }
    }
    ... on Company { name industry location sizeBand aliases }
    ... on Job { title location status seniority salaryMin salaryMax salaryCurrency description company { id name } skills { requirement skill { name } } }
    ... on Skill { name category aliases }
    ... on Occupation { title code description }
    ... on Consultant { name }
  }
}`;
const COLLEAGUES = `query Colleagues($id: ID!) { colleagues(candidateId: $id, first: 20) { totalCount items { months candidate { id name currentTitle } } } }`;
const ALUMNI = `query Alumni($id: ID!) { alumni(companyId: $id, first: 20) { totalCount items { title from to candidate { id name } } } }`;

type Rec = Record<string, any>;

/** A personal field: the value when the role may read it, else what the API said (null with FORBIDDEN). */
function Personal({ label, value, hidden }: { label: string; value: unknown; hidden: boolean }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={`field-${label}`}>
        {hidden ? <em className="hidden-field">not shown to this role</em> : value == null ? '–' : String(value)}
      </dd>
    </>
  );
}

function Colleagues({ id }: { id: string }) {
  const r = useLoad(
    () => gql<{ colleagues: { totalCount: number; items: { months: number; candidate: Rec | null }[] } }>(COLLEAGUES, { id }),
    [id],
  );
  const page = r.data?.data?.colleagues;
  return (
    <section aria-labelledby="colleagues">
      <h2 id="colleagues">Colleagues {page ? `(${page.totalCount})` : ''}</h2>
      <Status loading={r.loading} error={r.error}>
        <ul>
          {page?.items.map((c, i) => (
            <li key={c.candidate?.id ?? i}>
              {c.candidate ? <RecordLink id={c.candidate.id}>{c.candidate.name}</RecordLink> : 'someone'} · {c.months} months together
            </li>
          ))}
        </ul>
      </Status>
    </section>
  );
}

function Alumni({ id }: { id: string }) {
  const r = useLoad(
    () =>
      gql<{ alumni: { totalCount: number; items: { title: string; from: string; to: string | null; candidate: Rec | null }[] } }>(ALUMNI, {
        id,
      }),
    [id],
  );
  const page = r.data?.data?.alumni;
  return (
    <section aria-labelledby="alumni">
      <h2 id="alumni">People who worked here {page ? `(${page.totalCount})` : ''}</h2>
      <Status loading={r.loading} error={r.error}>
        <ul>
          {page?.items.map((a, i) => (
            <li key={i}>
              {a.candidate ? <RecordLink id={a.candidate.id}>{a.candidate.name}</RecordLink> : 'someone'} · {a.title} · {a.from}–
              {a.to ?? 'now'}
            </li>
          ))}
        </ul>
      </Status>
    </section>
  );
}

export function RecordView({ id, session }: { id: string; session: Session }) {
  const r = useLoad(() => gql<{ node: Rec | null }>(RECORD, { id }), [id, session.apiKey]);
  const node = r.data?.data?.node;
  const hidden = forbiddenPaths(r.data?.errors ?? []);
  const fatal = r.data && !node ? (r.data.errors[0]?.message ?? 'no record with this id') : undefined;
  return (
    <Status loading={r.loading && !r.data} error={r.error ?? fatal}>
      {node && (
        <article aria-labelledby="record-title">
          <p className="kind">{node.__typename}</p>
          <h1 id="record-title">{node.name ?? node.title}</h1>
          <p className="actions">
            <a href={href('graph', id)}>Relation network</a>
            {node.__typename === 'Candidate' && <a href={href('paths', undefined, { from: id })}>Introduction paths from here</a>}
            {node.__typename === 'Company' && <a href={href('paths', undefined, { to: id })}>Introduction paths to someone here</a>}
            {node.__typename === 'Company' && <a href={href('flow', id)}>Talent flow</a>}
            {node.__typename === 'Job' && <a href={href('job', id)}>Matches</a>}
          </p>
          {node.__typename === 'Candidate' && (
            <>
              <dl className="fields">
                <dt>Headline</dt>
                <dd>{node.headline ?? '–'}</dd>
                <dt>Current title</dt>
                <dd>{node.currentTitle ?? '–'}</dd>
                <dt>Location</dt>
                <dd>{node.location ?? '–'}</dd>
                <dt>Years of experience</dt>
                <dd>{node.yearsExperience ?? '–'}</dd>
                <dt>Languages</dt>
                <dd>{node.languages.join(', ') || '–'}</dd>
                <Personal label="email" value={node.email} hidden={hidden.has('node.email')} />
                <Personal label="phone" value={node.phone} hidden={hidden.has('node.phone')} />
                <Personal
                  label="desired salary"
                  value={
                    node.desiredSalaryMin == null && node.desiredSalaryMax == null
                      ? null
                      : `${node.desiredSalaryMin ?? '?'}–${node.desiredSalaryMax ?? '?'} ${node.salaryCurrency ?? ''}`
                  }
                  hidden={hidden.has('node.desiredSalaryMin') || hidden.has('node.desiredSalaryMax')}
                />
              </dl>
              <h2>Experience</h2>
              <ul>
                {node.experiences.map((x: Rec, i: number) => (
                  <li key={i}>
                    {x.title} at {x.company ? <RecordLink id={x.company.id}>{x.company.name}</RecordLink> : x.companyName} · {x.startDate}–
                    {x.endDate ?? 'now'}
                  </li>
                ))}
              </ul>
              <h2>Skills</h2>
              <p>{node.skills.map((s: Rec) => s.skill.name).join(', ') || '–'}</p>
              <h2>Education</h2>
              <ul>
                {node.education.map((e: Rec, i: number) => (
                  <li key={i}>
                    {[e.degree, e.field].filter(Boolean).join(', ')} · {e.school} {e.startYear ?? ''}–{e.endYear ?? ''}
                  </li>
                ))}
              </ul>
              <Colleagues id={id} />
            </>
          )}
          {node.__typename === 'Company' && (
            <>
              <dl className="fields">
                <dt>Industry</dt>
                <dd>{node.industry ?? '–'}</dd>
                <dt>Location</dt>
                <dd>{node.location ?? '–'}</dd>
                <dt>Size</dt>
                <dd>{node.sizeBand ?? '–'}</dd>
                <dt>Also known as</dt>
                <dd>{node.aliases.join(', ') || '–'}</dd>
              </dl>
              <Alumni id={id} />
            </>
          )}
          {node.__typename === 'Job' && (
            <dl className="fields">
              <dt>Company</dt>
              <dd>
                <RecordLink id={node.company.id}>{node.company.name}</RecordLink>
              </dd>
              <dt>Location</dt>
              <dd>{node.location ?? '–'}</dd>
              <dt>Status</dt>
              <dd>{node.status}</dd>
              <dt>Seniority</dt>
              <dd>{node.seniority ?? '–'}</dd>
              <dt>Skills</dt>
              <dd>{node.skills.map((s: Rec) => `${s.skill.name}${s.requirement === 'REQUIRED' ? '' : ' (preferred)'}`).join(', ')}</dd>
              <dt>Description</dt>
              <dd className="long">{node.description ?? '–'}</dd>
            </dl>
          )}
          {['Skill', 'Occupation', 'Consultant'].includes(node.__typename) && (
            <dl className="fields">
              {Object.entries(node)
                .filter(([k]) => !['__typename', 'id'].includes(k))
                .map(([k, v]) => [
                  <dt key={`${k}-t`}>{k}</dt>,
                  <dd key={`${k}-d`}>{Array.isArray(v) ? v.join(', ') : String(v ?? '–')}</dd>,
                ])}
            </dl>
          )}
        </article>
      )}
    </Status>
  );
}
