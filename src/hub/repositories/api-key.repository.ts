import { ApiKey } from '../entities/api-key.entity';
import type { Role } from '../../shared/roles';
import type { Queryable } from './queryable';

/** The statements for `api_key`. Only a key's SHA-256 is stored (api-key.service.ts). */
export class ApiKeyRepository {
  constructor(private readonly db: Queryable) {}

  private get keys() {
    return this.db.getRepository(ApiKey);
  }

  async insert(name: string, role: Role, keyHash: string, consultantId: string | null = null): Promise<string> {
    const row = await this.keys.save({ name, role, keyHash, revokedAt: null, consultantId });
    return row.id;
  }

  findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ keyHash });
  }

  count(): Promise<number> {
    return this.keys.count();
  }

  /** Oldest first. */
  all(): Promise<ApiKey[]> {
    return this.keys.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Up to `limit` keys whose id starts with `prefix` (lower-case hex and dashes), by id. */
  byIdPrefix(prefix: string, limit: number): Promise<{ id: string; name: string; revoked_at: Date | null }[]> {
    return this.db.query(`SELECT "id", "name", "revoked_at" FROM "api_key" WHERE "id"::text LIKE $1 || '%' ORDER BY "id" LIMIT $2`, [
      prefix,
      limit,
    ]);
  }

  /** Revokes the key unless it already is. */
  async revoke(id: string): Promise<void> {
    await this.db.query(`UPDATE "api_key" SET "revoked_at" = now() WHERE "id" = $1 AND "revoked_at" IS NULL`, [id]);
  }
}
