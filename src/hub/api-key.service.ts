import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AppError } from '../shared/errors';
import type { ApiKey } from './entities/api-key.entity';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { ConsultantRepository } from './repositories/consultant.repository';
import { type Role } from '../shared/roles';
import { fromGlobalId, isUuid } from '../shared/global-id';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export interface Viewer {
  keyId: string;
  role: Role;
  /** The consultant the key speaks for (a UUID); null when it speaks for none. */
  consultantId: string | null;
}

/** How long a verified key is trusted without asking the database again; a revocation takes effect within it. */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

/** API keys: random 32 bytes shown once; only their SHA-256 is stored, so a database leak leaks no keys. */
export class ApiKeyService {
  private readonly cache = new Map<string, { viewer: Viewer; until: number }>();
  private readonly keys: ApiKeyRepository;
  private readonly consultants: ConsultantRepository;

  constructor(ds: DataSource) {
    this.keys = new ApiKeyRepository(ds);
    this.consultants = new ConsultantRepository(ds);
  }

  /**
   * Makes a key of `role`, speaking for `consultant` (a Consultant id or its UUID) when given. Any role
   * may speak for a consultant: the link says whose network is "mine", the role what the key may do.
   * Throws BAD_USER_INPUT for an id that is not a consultant's, NOT_FOUND for one that does not exist;
   * nothing is written then.
   */
  async create(name: string, role: Role, consultant?: string | null): Promise<{ key: string; id: string }> {
    const consultantId = consultant ? await this.existingConsultant(consultant) : null;
    const key = `mh_${randomBytes(32).toString('base64url')}`;
    return { key, id: await this.keys.insert(name, role, hash(key), consultantId) };
  }

  private async existingConsultant(id: string): Promise<string> {
    const trimmed = id.trim();
    let uuid: string;
    if (isUuid(trimmed)) uuid = trimmed.toLowerCase();
    else {
      let parsed: ReturnType<typeof fromGlobalId>;
      try {
        parsed = fromGlobalId(trimmed);
      } catch (err) {
        throw err instanceof AppError ? new AppError(err.code, `consultant: ${err.message}`) : err;
      }
      if (parsed.type !== 'Consultant') {
        throw new AppError(
          'BAD_USER_INPUT',
          `consultant: ${trimmed.slice(0, 100)} is a ${parsed.type} id; give a Consultant id (the consultants query lists them)`,
        );
      }
      uuid = parsed.uuid;
    }
    if ((await this.consultants.existing([uuid])).length === 0) {
      throw new AppError('NOT_FOUND', `consultant: no consultant has the id ${trimmed.slice(0, 100)} (the consultants query lists them)`);
    }
    return uuid;
  }

  /** Every request authenticates, so verified keys are cached briefly (unknown keys are not: no cache flooding). */
  async authenticate(key: string): Promise<Viewer | null> {
    const h = hash(key);
    const hit = this.cache.get(h);
    if (hit && hit.until > Date.now()) return hit.viewer;
    const row = await this.keys.findByHash(h);
    if (!row || row.revokedAt) {
      this.cache.delete(h);
      return null;
    }
    const viewer = { keyId: row.id, role: row.role, consultantId: row.consultantId };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(h, { viewer, until: Date.now() + CACHE_MS });
    return viewer;
  }

  async count(): Promise<number> {
    return this.keys.count();
  }

  /** Every key, oldest first, without its hash. */
  async list(): Promise<Omit<ApiKey, 'keyHash'>[]> {
    const rows = await this.keys.all();
    return rows.map(({ keyHash: _hash, ...rest }) => rest);
  }

  /**
   * Revokes the key whose id is `idOrPrefix` or starts with it (at least 4 characters, one key only).
   * A server that verified the key before keeps accepting it for up to CACHE_MS.
   */
  async revoke(idOrPrefix: string): Promise<{ id: string; name: string; alreadyRevoked: boolean }> {
    const prefix = idOrPrefix.trim().toLowerCase();
    if (!/^[0-9a-f-]{4,36}$/.test(prefix)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `"${idOrPrefix}" is not a key id or the start of one (4 or more of its characters; see apikey list)`,
      );
    }
    const rows = await this.keys.byIdPrefix(prefix, 3);
    if (rows.length === 0) throw new AppError('NOT_FOUND', `no API key id starts with ${prefix} (see apikey list)`);
    if (rows.length > 1) {
      throw new AppError(
        'BAD_USER_INPUT',
        `${prefix} matches several keys (${rows.map((r) => r.id).join(', ')}${rows.length === 3 ? ', ...' : ''}); give more of the id`,
      );
    }
    const [row] = rows;
    if (row.revoked_at) return { id: row.id, name: row.name, alreadyRevoked: true };
    await this.keys.revoke(row.id);
    this.cache.clear();
    return { id: row.id, name: row.name, alreadyRevoked: false };
  }
}
