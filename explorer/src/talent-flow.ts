// Talent flow among a company and its partners, as the chord view draws it: pure functions over what
// `talentFlow` answers, so the unit tests check the matrix without a browser.

/** One partner of a company in a `talentFlow` answer (IN: moves from it, OUT: moves to it). */
export interface FlowPartner {
  companyId: string;
  total: number;
  byYear: { year: number; count: number }[];
  company: { name: string } | null;
}

export interface FlowMember {
  id: string;
  name: string;
}

/** Moves counted for one year, or in the whole period asked for (`total`) when `year` is undefined. */
export function movesIn(p: Pick<FlowPartner, 'total' | 'byYear'>, year: number | undefined): number {
  return year === undefined ? p.total : (p.byYear.find((y) => y.year === year)?.count ?? 0);
}

/**
 * The companies the chord shows: the company itself first, then its partners with the most moves in
 * and out together (ties by id, so the order is stable), at most `partners` of them.
 */
export function chordMembers(company: FlowMember, inflow: FlowPartner[], outflow: FlowPartner[], partners = 8): FlowMember[] {
  const byId = new Map<string, { name: string; moves: number }>();
  for (const p of [...inflow, ...outflow]) {
    if (p.companyId === company.id) continue;
    const m = byId.get(p.companyId) ?? { name: p.company?.name ?? p.companyId, moves: 0 };
    m.moves += p.total;
    byId.set(p.companyId, m);
  }
  const ranked = [...byId]
    .sort(([a, x], [b, y]) => y.moves - x.moves || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, partners)
    .map(([id, m]) => ({ id, name: m.name }));
  return [company, ...ranked];
}

/**
 * matrix[i][j]: moves from member i to member j, read from each member's OUT partners (`outOf[i]`);
 * moves to companies outside the members are left out.
 */
export function flowMatrix(members: FlowMember[], outOf: FlowPartner[][], year: number | undefined): number[][] {
  const index = new Map(members.map((m, i) => [m.id, i]));
  return members.map((_, i) => {
    const row = members.map(() => 0);
    for (const p of outOf[i] ?? []) {
      const j = index.get(p.companyId);
      if (j !== undefined && j !== i) row[j] = movesIn(p, year);
    }
    return row;
  });
}
