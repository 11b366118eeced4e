import { useMemo, useState } from 'react';
import { sankey, sankeyLinkHorizontal, type SankeyLink, type SankeyNode } from 'd3-sankey';
import { gqlData } from '../api';
import { href } from '../route';
import { useLoad } from '../useQuery';
import { chordMembers, movesIn, type FlowPartner } from '../talent-flow';
import { FlowChord } from './flow-chord';
import { RecordLink, ScoreBar, Status } from './parts';
interface Prediction {
  targetId: string;
  targetLabel: string;
  score: number;
  sources: string[];
  scoredBy: { name: string };
  evidence: string[][];
  features: Record<string, number | null>;
}
const FLOW = `query Flow($id: ID!, $since: Int) {
  company(id: $id) { id name }
  inflow: talentFlow(companyId: $id, direction: IN, since: $since, first: 12) { companyId total byYear { year count } company { name } }
  outflow: talentFlow(companyId: $id, direction: OUT, since: $since, first: 12) { companyId total byYear { year count } company { name } }
}`;
const PREDICT = `query Predict($id: ID!) {
  predictLinks(nodeId: $id, kind: COMPANY_COMPANY, first: 10) {
    targetId targetLabel score sources evidence scoredBy { name }
    features { adamicAdar commonNeighbours jaccard preferentialAttachment recencyWeightedFlow resourceAllocation targetInDegree embeddingSimilarity }
  }
}`;

interface FlowNode {
  key: string;
  name: string;
  id: string;
}

function Sankey({
  company,
  inflow,
  outflow,
  year,
}: {
  company: { id: string; name: string };
  inflow: FlowPartner[];
  outflow: FlowPartner[];
  year?: number;
}) {
  const ins = inflow.filter((p) => movesIn(p, year) > 0);
  const outs = outflow.filter((p) => movesIn(p, year) > 0);
  if (ins.length + outs.length === 0) return <p role="status">No moves {year ? `in ${year}` : 'recorded'}.</p>;
  const nodes: FlowNode[] = [
    ...ins.map((p) => ({ key: `in:${p.companyId}`, name: p.company?.name ?? 'unknown', id: p.companyId })),
    { key: 'self', name: company.name, id: company.id },
    ...outs.map((p) => ({ key: `out:${p.companyId}`, name: p.company?.name ?? 'unknown', id: p.companyId })),
  ];
  const links = [
    ...ins.map((p) => ({ source: `in:${p.companyId}`, target: 'self', value: movesIn(p, year) })),
    ...outs.map((p) => ({ source: 'self', target: `out:${p.companyId}`, value: movesIn(p, year) })),
  ];
  const width = 900;
  const height = Math.max(240, Math.max(ins.length, outs.length) * 34);
  const layout = sankey<FlowNode, { value: number }>()
    .nodeId((n) => n.key)
    .nodeWidth(14)
    .nodePadding(10)
    .extent([
      [170, 10],
      [width - 170, height - 10],
    ]);
  const graph = layout({ nodes: nodes.map((n) => ({ ...n })), links: links.map((l) => ({ ...l })) });
  const path = sankeyLinkHorizontal();
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={`Talent flow of ${company.name}: sources on the left, destinations on the right`}
      data-testid="sankey"
    >
      {graph.links.map((l: SankeyLink<FlowNode, { value: number }>, i) => (
        <path
          key={i}
          d={path(l) ?? undefined}
          fill="none"
          stroke={(l.target as FlowNode).key === 'self' ? '#1f5fa8' : '#b34700'}
          strokeOpacity={0.35}
          strokeWidth={Math.max(1, l.width ?? 1)}
        >
          <title>
            {(l.source as FlowNode).name} → {(l.target as FlowNode).name}: {l.value}
          </title>
        </path>
      ))}
      {graph.nodes.map((n: SankeyNode<FlowNode, { value: number }>) => (
        <g key={n.key}>
          <rect x={n.x0} y={n.y0} width={(n.x1 ?? 0) - (n.x0 ?? 0)} height={Math.max(1, (n.y1 ?? 0) - (n.y0 ?? 0))} fill="#333" />
          <text
            x={n.key.startsWith('in:') ? (n.x0 ?? 0) - 6 : (n.x1 ?? 0) + 6}
            y={((n.y0 ?? 0) + (n.y1 ?? 0)) / 2}
            dy="0.35em"
            textAnchor={n.key.startsWith('in:') ? 'end' : 'start'}
            fontSize="12"
            fill="#222"
          >
            {n.name} ({n.value})
          </text>
        </g>
      ))}
    </svg>
  );
}

export function FlowView({ id, params }: { id: string; params: URLSearchParams }) {
  const since = params.get('since') ? Number(params.get('since')) : undefined;
  const [year, setYear] = useState<number | undefined>();
  const flow = useLoad(
    () => gqlData<{ company: { id: string; name: string } | null; inflow: FlowPartner[]; outflow: FlowPartner[] }>(FLOW, { id, since }),
    [id, since],
  );
  const predicted = useLoad(() => gqlData<{ predictLinks: Prediction[] }>(PREDICT, { id }), [id]);
  const years = [
    ...new Set([...(flow.data?.inflow ?? []), ...(flow.data?.outflow ?? [])].flatMap((p) => p.byYear.map((y) => y.year))),
  ].sort();
  const members = useMemo(
    () => (flow.data?.company ? chordMembers(flow.data.company, flow.data.inflow, flow.data.outflow) : []),
    [flow.data],
  );
  const maxScore = Math.max(0, ...(predicted.data?.predictLinks.map((p) => p.score) ?? []));
  return (
    <section aria-labelledby="flow-title">
      <Status loading={flow.loading && !flow.data} error={flow.error}>
        {flow.data?.company && (
          <>
            <h1 id="flow-title">Talent flow: {flow.data.company.name}</h1>
            <p className="actions">
              <a href={href('record', id)}>Record</a>
              <a href={href('graph', id, {})}>Relation network</a>
            </p>
            <label htmlFor="flow-year">Year</label>{' '}
            <select id="flow-year" value={year ?? ''} onChange={(e) => setYear(e.target.value ? Number(e.target.value) : undefined)}>
              <option value="">All years</option>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
            <Sankey company={flow.data.company} inflow={flow.data.inflow} outflow={flow.data.outflow} year={year} />
            {members.length > 1 && <FlowChord members={members} since={since} year={year} />}
            <table className="flow-table">
              <caption>Moves by year</caption>
              <thead>
                <tr>
                  <th scope="col">Direction</th>
                  <th scope="col">Company</th>
                  <th scope="col">Total</th>
                  {years.map((y) => (
                    <th key={y} scope="col">
                      {y}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {(
                  [
                    ['came from', flow.data.inflow],
                    ['went to', flow.data.outflow],
                  ] as const
                ).flatMap(([dir, list]) =>
                  list.map((p) => (
                    <tr key={`${dir}${p.companyId}`}>
                      <td>{dir}</td>
                      <td>
                        <a href={href('flow', p.companyId)}>{p.company?.name ?? p.companyId}</a>
                      </td>
                      <td>{p.total}</td>
                      {years.map((y) => (
                        <td key={y}>{movesIn(p, y) || ''}</td>
                      ))}
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </>
        )}
      </Status>
      <h2>Predicted next moves</h2>
      <Status loading={predicted.loading && !predicted.data} error={predicted.error}>
        {predicted.data?.predictLinks.length === 0 && <p role="status">No prediction for this company.</p>}
        <ol className="predictions" data-testid="predictions">
          {predicted.data?.predictLinks.map((p) => (
            <li key={p.targetId}>
              <RecordLink id={p.targetId}>{p.targetLabel}</RecordLink>{' '}
              <span className="sub">
                scored by {p.scoredBy.name}; offered by {p.sources.join(', ').toLowerCase()}
              </span>
              <ScoreBar label="score" value={p.score} max={maxScore} />
              <details>
                <summary>Features and evidence</summary>
                <dl className="fields">
                  {Object.entries(p.features).map(([k, v]) => [
                    <dt key={`${k}t`}>{k}</dt>,
                    <dd key={`${k}d`}>{v == null ? '–' : v.toFixed(3)}</dd>,
                  ])}
                </dl>
                <p>{p.evidence.length} supporting paths</p>
              </details>
            </li>
          ))}
        </ol>
      </Status>
    </section>
  );
}
