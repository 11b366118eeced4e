import { AppError } from './errors';

/**
 * Relay global ids: base64url of `Type:uuid`. Opaque to clients; `uuid` is also exposed on every node
 * for BI joins against the database, Weaviate and Neo4j, where it is the key.
 */
export const NODE_TYPES = ['Candidate', 'Company', 'Job', 'Skill', 'Occupation', 'Application', 'Placement', 'Consultant'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** A plain UUID (as Weaviate, Neo4j and the RAG tools use) or a global id, as the UUID; BAD_USER_INPUT otherwise. */
export function uuidOf(id: string): string {
  return UUID.test(id) ? id.toLowerCase() : fromGlobalId(id).uuid;
}

export function toGlobalId(type: NodeType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`).toString('base64url');
}

export function fromGlobalId(id: string): { type: NodeType; uuid: string } {
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const [type, uuid] = decoded.split(':');
  if (!NODE_TYPES.includes(type as NodeType) || !UUID.test(uuid ?? '')) {
    throw new AppError('BAD_USER_INPUT', `"${id.slice(0, 100)}" is not a MatchHub id; use the id field of a node`);
  }
  return { type: type as NodeType, uuid: uuid.toLowerCase() };
}

/** Decodes an id that must be of `type`; throws BAD_USER_INPUT naming the expected type otherwise. */
export function expectGlobalId(id: string, type: NodeType): string {
  const parsed = fromGlobalId(id);
  if (parsed.type !== type) {
    throw new AppError('BAD_USER_INPUT', `expected a ${type} id, got a ${parsed.type} id`);
  }
  return parsed.uuid;
}
