import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey, type Role } from './entities/api-key.entity';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export interface Viewer {
  keyId: string;
  role: Role;
}

/** How long a verified key is trusted without asking the database again; a revocation takes effect within it. */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

/** API keys: random 32 bytes shown once; only their SHA-256 is stored, so a database leak leaks no keys. */
export class ApiKeyService {
  private readonly cache = new Map<string, { viewer: Viewer; until: number }>();

  constructor(private readonly ds: DataSource) {}

  async create(name: string, role: Role): Promise<{ key: string; id: string }> {
    const key = `mh_${randomBytes(32).toString('base64url')}`;
    const row = await this.ds.getRepository(ApiKey).save({ name, role, keyHash: hash(key), revokedAt: null });
    return { key, id: row.id };
  }

  /** Every request authenticates, so verified keys are cached briefly (unknown keys are not: no cache flooding). */
  async authenticate(key: string): Promise<Viewer | null> {
    const h = hash(key);
    const hit = this.cache.get(h);
    if (hit && hit.until > Date.now()) return hit.viewer;
    const row = await this.ds.getRepository(ApiKey).findOneBy({ keyHash: h });
    if (!row || row.revokedAt) {
      this.cache.delete(h);
      return null;
    }
    const viewer = { keyId: row.id, role: row.role };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(h, { viewer, until: Date.now() + CACHE_MS });
    return viewer;
  }

  async count(): Promise<number> {
    return this.ds.getRepository(ApiKey).count();
  }
}
