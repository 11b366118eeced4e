import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey, type Role } from './entities/api-key.entity';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export interface Viewer {
  keyId: string;
  role: Role;
}

/** API keys: random 32 bytes shown once; only their SHA-256 is stored, so a database leak leaks no keys. */
export class ApiKeyService {
  constructor(private readonly ds: DataSource) {}

  async create(name: string, role: Role): Promise<{ key: string; id: string }> {
    const key = `mh_${randomBytes(32).toString('base64url')}`;
    const row = await this.ds.getRepository(ApiKey).save({ name, role, keyHash: hash(key), revokedAt: null });
    return { key, id: row.id };
  }

  async authenticate(key: string): Promise<Viewer | null> {
    const row = await this.ds.getRepository(ApiKey).findOneBy({ keyHash: hash(key) });
    return row && !row.revokedAt ? { keyId: row.id, role: row.role } : null;
  }

  async count(): Promise<number> {
    return this.ds.getRepository(ApiKey).count();
  }
}
