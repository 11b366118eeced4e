import type { Queryable } from './queryable';
import type { OccupationRow } from './profile-rows';

/** The statements for the occupation taxonomy table. */
export class OccupationRepository {
  constructor(private readonly db: Queryable) {}

  async profiles(ids: readonly string[]): Promise<OccupationRow[]> {
    const rows: OccupationRow[] = await this.db.query(
      `SELECT id, code, title, description, alternate_titles FROM occupation WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows;
  }
}
