import { useEffect, useState, type FormEvent } from 'react';
import { gql, gqlData, RequestError, type GqlError } from '../api';
import { globalId, href, typeOfId } from '../route';
import { useLoad } from '../useQuery';
import { RecordLink, ScoreBar, Status } from './parts';

interface Hop {
  from: string;
  to: string;
  kind: string;
  months: number | null;
  strength: number;
  via: string[];
}
interface PathView {
  strength: number;
  nodeIds: string[];
  hops: Hop[];
  /** Set when the target is a company: who the path reaches there. */
  employee: { candidateId: string; title: string; since: string } | null;
}

const PATHS = `query Paths($from: ID!, $to: ID!, $maxHops: Int!) { introductionPaths(from: $from, to: $to, maxHops: $maxHops, first: 10) { strength nodeIds hops { from to kind months strength via } employee { candidateId title since } } }`;
const NAMES = `query Names($ids: [ID!]!) { nodes(ids: $ids) { id ... on Candidate { name } ... on Consultant { name } ... on Company { name } ... on Job { title } } }`;
const CONSULTANTS = `query Consultants { consultants(first: 100) { edges { node { id name } } } }`;
const CONTACTS = `query Contacts($owner: ID!, $first: Int!) { candidates(first: $first, filter: { ownerId: $owner }) { totalCount edges { node { id name } } } }`;
/** Contacts asked for paths, one introductionPaths call each (the API takes one person as `from`). */
const MAX_CONTACTS = 20;
const FIND = `query Find($text: String!) { candidates(first: 8, filter: { text: $text }) { edges { node { id name currentTitle } } } }`;
const FIND_COMPANY = `query FindCompany($text: String!) { companies(first: 8, filter: { text: $text }) { edges { node { id name industry } } } }`;

interface Choice {
  id: string;
  name: string;
  /** Shown after the name: a person's title, a company's industry. */
  note: string | null;
}
type Finder = (text: string) => Promise<Choice[]>;

const findPeople: Finder = (text) =>
  gqlData<{ candidates: { edges: { node: { id: string; name: string; currentTitle: string | null } }[] } }>(FIND, { text }).then((d) =>
    d.candidates.edges.map(({ node }) => ({ id: node.id, name: node.name, note: node.currentTitle })),
  );
const findCompanies: Finder = (text) =>
  gqlData<{ companies: { edges: { node: { id: string; name: string; industry: string | null } }[] } }>(FIND_COMPANY, { text }).then((d) =>
    d.companies.edges.map(({ node }) => ({ id: node.id, name: node.name, note: node.industry })),
  );

/** A person (or, with findCompanies, a company) chosen by name, or a pasted id. */
function PersonPicker({
  label,
  id,
  value,
  onChange,
  find = findPeople,
}: {
  label: string;
  id: string;
  value: string;
  onChange: (v: string) => void;
  find?: Finder;
}) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Choice[]>([]);
  useEffect(() => {
    if (text.trim().length < 2) return setOptions([]);
    let current = true;
    find(text).then(
      (d) => current && setOptions(d),
      () => current && setOptions([]),
    );
    return () => {
      current = false;
    };
  }, [text, find]);
  return (
    <div className="picker">
      <label htmlFor={`${id}-name`}>{label}: find by name</label>
      <input id={`${id}-name`} value={text} onChange={(e) => setText(e.target.value)} />
      {options.length > 0 && (
        <ul aria-label={`${label} choices`} className="choices">
          {options.map((o) => (
            <li key={o.id}>
              <button
                type="button"
                onClick={() => {
                  onChange(o.id);
                  setText(o.name);
                  setOptions([]);
                }}
              >
                {o.name}
                {o.note ? ` · ${o.note}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-id`}>{label}: id</label>
      <input id={`${id}-id`} value={value} onChange={(e) => onChange(e.target.value.trim())} />
    </div>
  );
}

/**
 * One path drawn left to right; the current hop (stepping) is highlighted with its strength. A path
 * to a company ends with the company, joined to the employee by a dashed "works here" (not a hop).
 */
function PathDiagram({ path, names, step, company }: { path: PathView; names: Map<string, string>; step: number; company?: string }) {
  const w = 170;
  const n = path.nodeIds.length;
  const width = (n + (company ? 1 : 0)) * w;
  return (
    <svg viewBox={`0 0 ${width} 90`} width="100%" height="90" role="img" aria-label="The path, hop by hop">
      {path.hops.map((h, i) => {
        const x1 = i * w + w / 2 + 40;
        const x2 = (i + 1) * w + w / 2 - 40;
        const on = step === i;
        return (
          <g key={i} className={on ? 'hop on' : 'hop'}>
            <line x1={x1} y1={40} x2={x2} y2={40} strokeWidth={2 + h.strength * 8} stroke={on ? '#b34700' : '#8a9099'} />
            <text x={(x1 + x2) / 2} y={24} textAnchor="middle" fontSize="11" fill="#222">
              {h.kind} {h.strength.toFixed(2)}
            </text>
          </g>
        );
      })}
      {path.nodeIds.map((n, i) => (
        <g key={n}>
          <circle cx={i * w + w / 2} cy={40} r={12} fill={step >= 0 && (step === i || step === i - 1) ? '#b34700' : '#1f5fa8'} />
          <text x={i * w + w / 2} y={72} textAnchor="middle" fontSize="12" fill="#222">
            {names.get(n) ?? n.slice(0, 8)}
          </text>
        </g>
      ))}
      {company && (
        <g>
          <line
            x1={(n - 1) * w + w / 2 + 40}
            y1={40}
            x2={n * w + w / 2 - 40}
            y2={40}
            strokeWidth={2}
            stroke="#8a9099"
            strokeDasharray="6 4"
          />
          <text x={n * w} y={24} textAnchor="middle" fontSize="11" fill="#222">
            works here
          </text>
          <rect x={n * w + w / 2 - 12} y={28} width={24} height={24} fill="#2d6a3e" />
          <text x={n * w + w / 2} y={72} textAnchor="middle" fontSize="12" fill="#222">
            {company}
          </text>
        </g>
      )}
    </svg>
  );
}

/**
 * Paths into `to` (a person, or a company's current staff) from each of a consultant's contacts (the candidates they own), strongest first
 * across all of them. The API draws paths from one person at a time, so this asks once per contact,
 * for the first MAX_CONTACTS; a contact who is the target, or has no path, adds nothing.
 */
async function fromNetwork(
  consultant: string,
  to: string,
  maxHops: number,
): Promise<{ introductionPaths: PathView[]; contacts: { asked: number; of: number } }> {
  const c = await gqlData<{ candidates: { totalCount: number; edges: { node: { id: string; name: string } }[] } }>(CONTACTS, {
    owner: consultant,
    first: MAX_CONTACTS,
  });
  const contacts = c.candidates.edges.map((e) => e.node.id).filter((id) => id !== to);
  // A few at a time: each call is a traversal on the server.
  const found: PathView[][] = [];
  const errors: GqlError[] = [];
  for (let i = 0; i < contacts.length; i += 4) {
    const batch = await Promise.all(
      contacts.slice(i, i + 4).map((from) => gql<{ introductionPaths: PathView[] }>(PATHS, { from, to, maxHops })),
    );
    for (const b of batch) {
      found.push(b.data?.introductionPaths ?? []);
      errors.push(...b.errors);
    }
  }
  // One contact refused (say, not a person the graph knows) costs that contact's paths; all refused is an answer.
  if (contacts.length > 0 && errors.length >= contacts.length) throw new RequestError(errors[0]!.message, errors[0]!.extensions?.code);
  const paths = found
    .flat()
    .sort((a, b) => b.strength - a.strength || a.hops.length - b.hops.length)
    .slice(0, 10);
  return { introductionPaths: paths, contacts: { asked: c.candidates.edges.length, of: c.candidates.totalCount } };
}

/** The consultant whose contacts the paths start from. */
function ConsultantPicker({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const list = useLoad(() => gqlData<{ consultants: { edges: { node: { id: string; name: string } }[] } }>(CONSULTANTS), []);
  return (
    <div className="picker">
      <label htmlFor="consultant">Consultant</label>
      <select id="consultant" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{list.error ? 'consultants not available to this role' : 'choose a consultant'}</option>
        {list.data?.consultants.edges.map(({ node }) => (
          <option key={node.id} value={node.id}>
            {node.name}
          </option>
        ))}
      </select>
    </div>
  );
}

type Source = 'mine' | 'person' | 'network';
/** The consultant the signed-in key speaks for. */
type Mine = { id: string; name: string };

/**
 * Where paths start unless the address says: a key that speaks for a consultant starts from that
 * consultant's own node, so the first hop is one of their ties (a candidate they own, OWNER, or placed,
 * PLACEMENT) and one traversal covers their whole network, ranked with how close they are to each contact.
 */
function initialSource(params: URLSearchParams, mine: Mine | null): Source {
  if (params.get('consultant')) return 'network';
  const from = params.get('from');
  if (from) return from === mine?.id ? 'mine' : 'person';
  return mine ? 'mine' : 'person';
}

export function PathsView({ params, mine }: { params: URLSearchParams; mine: Mine | null }) {
  const [source, setSource] = useState<Source>(initialSource(params, mine));
  const [consultant, setConsultant] = useState(params.get('consultant') ?? mine?.id ?? '');
  const [from, setFrom] = useState(params.get('from') && params.get('from') !== mine?.id ? params.get('from')! : '');
  const [to, setTo] = useState(params.get('to') ?? '');
  // The API takes a person or a company as `to`; the id says which, so the link needs nothing more.
  const [target, setTarget] = useState<'person' | 'company'>(typeOfId(params.get('to') ?? '') === 'Company' ? 'company' : 'person');
  const [maxHops, setMaxHops] = useState(Number(params.get('maxHops') ?? 3));
  const [chosen, setChosen] = useState(0);
  const [step, setStep] = useState(-1);
  const qFrom = params.get('from');
  const qTo = params.get('to');
  const qConsultant = params.get('consultant');
  const r = useLoad(async () => {
    if ((!qFrom && !qConsultant) || !qTo) return undefined;
    const hops = Number(params.get('maxHops') ?? 3);
    const d = qConsultant
      ? await fromNetwork(qConsultant, qTo, hops)
      : { ...(await gqlData<{ introductionPaths: PathView[] }>(PATHS, { from: qFrom, to: qTo, maxHops: hops })), contacts: undefined };
    // Hops name what the two shared (companies, schools, a placement's job) by UUID: asked for as a
    // company and as a job, whichever exists answers; schools are graph-only and keep their UUID.
    const people = d.introductionPaths.flatMap((p) => p.nodeIds).filter((id) => typeOfId(id));
    if (typeOfId(qTo) === 'Company') people.push(qTo);
    const via = [...new Set(d.introductionPaths.flatMap((p) => p.hops.flatMap((h) => h.via)))];
    const asked = [...new Set(people)]
      .map((id) => [id, id])
      .concat(
        via.flatMap((u) => [
          [u, globalId('Company', u)],
          [u, globalId('Job', u)],
        ]),
      );
    const names = new Map<string, string>();
    if (asked.length) {
      const n = await gql<{ nodes: ({ id: string; name?: string; title?: string } | null)[] }>(NAMES, { ids: asked.map(([, g]) => g) });
      (n.data?.nodes ?? []).forEach((x, i) => x && names.set(asked[i]![0]!, x.name ?? x.title ?? x.id));
    }
    return { paths: d.introductionPaths, names, contacts: d.contacts };
  }, [params.toString()]);
  useEffect(() => {
    setChosen(0);
    setStep(-1);
  }, [r.data]);
  function submit(e: FormEvent) {
    e.preventDefault();
    const start = source === 'network' ? { consultant } : { from: source === 'mine' ? mine!.id : from };
    window.location.hash = href('paths', undefined, { ...start, to, maxHops });
  }
  const ready = source === 'network' ? !!consultant : source === 'mine' || !!from;
  const path = r.data?.paths[chosen];
  const company = qTo && typeOfId(qTo) === 'Company' ? (r.data?.names.get(qTo) ?? qTo.slice(0, 8)) : undefined;
  const nameOf = (id: string) => r.data?.names.get(id) ?? id.slice(0, 8);
  return (
    <section aria-labelledby="paths-title">
      <h1 id="paths-title">Introduction paths</h1>
      <form className="paths-form" onSubmit={submit}>
        <fieldset className="source">
          <legend>Paths start from</legend>
          {mine && (
            <label className="check">
              <input type="radio" name="source" checked={source === 'mine'} onChange={() => setSource('mine')} /> my network ({mine.name})
            </label>
          )}
          <label className="check">
            <input type="radio" name="source" checked={source === 'person'} onChange={() => setSource('person')} /> a person
          </label>
          <label className="check">
            <input type="radio" name="source" checked={source === 'network'} onChange={() => setSource('network')} /> a consultant’s
            contacts
          </label>
        </fieldset>
        {source === 'mine' ? (
          <p className="sub" data-testid="paths-from-mine">
            From {mine!.name}: the first hop is a candidate they own or placed.
          </p>
        ) : source === 'person' ? (
          <PersonPicker label="From" id="from" value={from} onChange={setFrom} />
        ) : (
          <ConsultantPicker value={consultant} onChange={setConsultant} />
        )}
        <fieldset className="source">
          <legend>Paths lead to</legend>
          <label className="check">
            <input type="radio" name="target" checked={target === 'person'} onChange={() => (setTarget('person'), setTo(''))} /> a person
          </label>
          <label className="check">
            <input type="radio" name="target" checked={target === 'company'} onChange={() => (setTarget('company'), setTo(''))} /> someone
            at a company
          </label>
        </fieldset>
        {target === 'person' ? (
          <PersonPicker key="to-person" label="To" id="to" value={to} onChange={setTo} />
        ) : (
          <PersonPicker key="to-company" label="To company" id="to-company" value={to} onChange={setTo} find={findCompanies} />
        )}
        <label htmlFor="max-hops">Most hops</label>
        <input id="max-hops" type="number" min={1} max={4} value={maxHops} onChange={(e) => setMaxHops(Number(e.target.value))} />
        <button type="submit" disabled={!ready || !to}>
          Find paths
        </button>
      </form>
      <Status loading={r.loading && !!(qFrom || qConsultant) && !!qTo} error={r.error}>
        {r.data?.contacts && (
          <p className="sub" data-testid="contacts-asked">
            From{' '}
            {r.data.contacts.asked === r.data.contacts.of
              ? `all ${r.data.contacts.of}`
              : `${r.data.contacts.asked} of ${r.data.contacts.of}`}{' '}
            contacts of the consultant (the candidates they own), strongest path first.
          </p>
        )}
        {r.data && r.data.paths.length === 0 && (
          <p role="status">
            No warm path{company ? ` to anyone who works at ${company} now` : ''} within {params.get('maxHops') ?? 3} hops.
          </p>
        )}
        {r.data && path && (
          <div className="paths">
            <ol className="path-list" aria-label="Paths, strongest first">
              {r.data.paths.map((p, i) => (
                <li key={i}>
                  <button type="button" aria-pressed={i === chosen} onClick={() => (setChosen(i), setStep(-1))}>
                    {p.nodeIds.map(nameOf).join(' → ')}
                    {company ? ` (at ${company})` : ''}
                  </button>
                  <ScoreBar label={`path ${i + 1} strength`} value={p.strength} />
                </li>
              ))}
            </ol>
            <div className="path-detail" data-testid="path-detail">
              <PathDiagram path={path} names={r.data.names} step={step} company={company} />
              {path.employee && (
                <p data-testid="path-employee">
                  Reaches <RecordLink id={path.employee.candidateId}>{nameOf(path.employee.candidateId)}</RecordLink>, {path.employee.title}{' '}
                  at {company} since {path.employee.since}.
                </p>
              )}
              <p>
                <button type="button" onClick={() => setStep((s) => (s + 1 >= path.hops.length ? 0 : s + 1))}>
                  Next hop
                </button>{' '}
                <span role="status" data-testid="hop-status">
                  {step >= 0 ? `Hop ${step + 1} of ${path.hops.length}` : `${path.hops.length} hops`}
                </span>
              </p>
              <ol className="hops">
                {path.hops.map((h, i) => (
                  <li key={i} className={i === step ? 'on' : undefined} aria-current={i === step ? 'step' : undefined}>
                    <RecordLink id={h.from}>{r.data!.names.get(h.from) ?? h.from.slice(0, 8)}</RecordLink> →{' '}
                    <RecordLink id={h.to}>{r.data!.names.get(h.to) ?? h.to.slice(0, 8)}</RecordLink>: {h.kind}
                    {h.months != null ? `, ${h.months} months` : ''}
                    {h.via.length > 0 ? ` via ${h.via.map((v) => r.data!.names.get(v) ?? v.slice(0, 8)).join(', ')}` : ''}
                    <ScoreBar label={`hop ${i + 1} strength`} value={h.strength} />
                  </li>
                ))}
              </ol>
            </div>
          </div>
        )}
      </Status>
    </section>
  );
}
