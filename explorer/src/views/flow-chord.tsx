import { useState } from 'react';
import { chordDirected, ribbonArrow, type Chord } from 'd3-chord';
import { gqlData } from '../api';
import { href } from '../route';
import { flowMatrix, type FlowMember, type FlowPartner } from '../talent-flow';
import { useLoad } from '../useQuery';
import { Status } from './parts';

/** The API's largest page (graph-input MAX_PAGE): a member with more partners than this is cut, and said so. */
const PARTNERS_ASKED = 200;

/** One aliased talentFlow(OUT) per member, in one request. */
function amongQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$c${i}: ID!`).join(', ');
  const fields = Array.from(
    { length: n },
    (_, i) =>
      `m${i}: talentFlow(companyId: $c${i}, direction: OUT, since: $since, first: ${PARTNERS_ASKED}) { companyId total byYear { year count } }`,
  );
  return `query FlowAmong(${vars}, $since: Int) {\n  ${fields.join('\n  ')}\n}`;
}

/** Dark enough for a white background's contrast; one per member, the company itself first. */
const COLOURS = ['#1f5fa8', '#b34700', '#2e7d32', '#6a3d9a', '#8c564b', '#00796b', '#ad1457', '#555555', '#7a5c00'];

const OUTER = 190;
const INNER = 176;
/** Room around the circle for the names, which run along the radius. */
const EXTENT = OUTER + 160;

/** An annulus segment between two angles (d3's convention: 0 at twelve o'clock, clockwise). */
function arcPath(start: number, end: number): string {
  const at = (r: number, a: number) => `${(r * Math.sin(a)).toFixed(2)},${(-r * Math.cos(a)).toFixed(2)}`;
  const large = end - start > Math.PI ? 1 : 0;
  return `M${at(OUTER, start)}A${OUTER},${OUTER} 0 ${large} 1 ${at(OUTER, end)}L${at(INNER, end)}A${INNER},${INNER} 0 ${large} 0 ${at(INNER, start)}Z`;
}

/**
 * Moves among a company and its main partners in both directions at once, partner to partner
 * included (the Sankey shows the company's own in and out only): an arc per company, sized by its
 * moves in and out among them, and a ribbon per direction, pointing to where people went. Each arc is
 * a link to that company's talent flow; focusing or hovering it leaves its own ribbons lit. The table
 * beside it has the same numbers.
 */
export function FlowChord({ members, since, year }: { members: FlowMember[]; since?: number; year?: number }) {
  const [active, setActive] = useState<number | undefined>();
  const among = useLoad(
    () =>
      gqlData<Record<string, FlowPartner[]>>(amongQuery(members.length), {
        since,
        ...Object.fromEntries(members.map((m, i) => [`c${i}`, m.id])),
      }),
    [members.map((m) => m.id).join(','), since],
  );
  const outOf = members.map((_, i) => among.data?.[`m${i}`] ?? []);
  const cut = members.filter((_, i) => outOf[i]!.length >= PARTNERS_ASKED);
  const matrix = flowMatrix(members, outOf, year);
  const moves = matrix.flat().reduce((s, v) => s + v, 0);
  const layout = chordDirected()
    .padAngle(10 / INNER)
    .sortSubgroups((a, b) => b - a)
    .sortChords((a, b) => b - a);
  const chords = layout(matrix);
  const arrow = ribbonArrow<Chord, Chord['source']>()
    .radius(INNER - 1)
    .padAngle(1 / INNER);
  // Without a canvas context the generator returns the SVG path (the typings' first overload is the canvas one).
  const ribbon = (c: Chord) => arrow(c) as unknown as string;
  const lit = (c: Chord) => active === undefined || c.source.index === active || c.target.index === active;
  const name = (i: number) => members[i]!.name;
  return (
    <section aria-labelledby="chord-title">
      <h2 id="chord-title">Among {members.length} companies</h2>
      <Status loading={among.loading && !among.data} error={among.error}>
        {among.data && moves === 0 && <p role="status">No moves among these companies {year ? `in ${year}` : 'recorded'}.</p>}
        {among.data && moves > 0 && (
          <div className="chord-layout">
            <svg
              viewBox={`${-EXTENT} ${-EXTENT} ${2 * EXTENT} ${2 * EXTENT}`}
              width="100%"
              role="group"
              aria-label={`Moves among ${name(0)} and its main partners${year ? ` in ${year}` : ''}: a ribbon per direction, pointing to where people went`}
              data-testid="chord"
            >
              {chords.map((c) => (
                <path
                  key={`${c.source.index}-${c.target.index}`}
                  className="ribbon"
                  data-from={members[c.source.index]!.id}
                  data-to={members[c.target.index]!.id}
                  data-lit={lit(c)}
                  d={ribbon(c)}
                  fill={COLOURS[c.source.index % COLOURS.length]}
                  fillOpacity={lit(c) ? 0.7 : 0.08}
                >
                  <title>
                    {name(c.source.index)} → {name(c.target.index)}: {c.source.value}
                  </title>
                </path>
              ))}
              {chords.groups.map((g) => {
                const mid = (g.startAngle + g.endAngle) / 2;
                const right = mid < Math.PI;
                const out = matrix[g.index]!.reduce((s, v) => s + v, 0);
                return (
                  <a
                    key={g.index}
                    href={href('flow', members[g.index]!.id)}
                    aria-label={`${name(g.index)}: ${out} moves out, ${g.value - out} in among these companies; open its talent flow`}
                    onFocus={() => setActive(g.index)}
                    onBlur={() => setActive(undefined)}
                    onMouseEnter={() => setActive(g.index)}
                    onMouseLeave={() => setActive(undefined)}
                  >
                    <path d={arcPath(g.startAngle, g.endAngle)} fill={COLOURS[g.index % COLOURS.length]} />
                    {/* Along the radius, so the names of small neighbouring arcs do not overlap. */}
                    <text
                      transform={`rotate(${(mid * 180) / Math.PI - 90}) translate(${OUTER + 8})${right ? '' : ' rotate(180)'}`}
                      dy="0.35em"
                      textAnchor={right ? 'start' : 'end'}
                      fontSize="13"
                      fill="#1b1b1b"
                      fontWeight={g.index === 0 ? 700 : 400}
                    >
                      {name(g.index)}
                    </text>
                  </a>
                );
              })}
            </svg>
            <table className="flow-table" data-testid="chord-table">
              <caption>Moves among these companies{year ? ` in ${year}` : ''}: from the row’s company to the column’s</caption>
              <thead>
                <tr>
                  <td />
                  {members.map((m) => (
                    <th key={m.id} scope="col">
                      {m.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {members.map((m, i) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    {matrix[i]!.map((v, j) => (
                      <td key={j}>{i === j ? '–' : v || ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {cut.length > 0 && (
          <p className="hint">
            {cut.map((m) => m.name).join(', ')}: {PARTNERS_ASKED} destinations or more; moves past the first {PARTNERS_ASKED} are not
            counted here.
          </p>
        )}
      </Status>
    </section>
  );
}
