import { Authorized, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Role } from '../shared/roles';
import { personalReadsOf } from './personal-read-log';

/**
 * Candidates' personal data, and who may read it: the one list and the one role check that every read
 * path uses (the GraphQL Candidate type, graph props, RAG records and everything sent to the model).
 * A field added here is gated everywhere; test/e2e/personal-data.test.ts walks the schema for every
 * path that can return a candidate and checks each role on it.
 *
 * Names are the GraphQL/entity property names; free-form objects (graph props, stored RAG records)
 * are matched ignoring case and `_`/`-`, so `desired_salary_min` is caught as well.
 */
export const CANDIDATE_PERSONAL_FIELDS = ['email', 'phone', 'desiredSalaryMin', 'desiredSalaryMax', 'salaryCurrency'] as const;
export type CandidatePersonalField = (typeof CANDIDATE_PERSONAL_FIELDS)[number];

/** Roles that work with candidates directly; analysts, BI tools and front ends see everything else. */
export const PERSONAL_DATA_ROLES = ['admin', 'consultant'] as const satisfies readonly Role[];

const ALLOWED: ReadonlySet<Role> = new Set<Role>(PERSONAL_DATA_ROLES);
const normalise = (key: string) => key.toLowerCase().replace(/[_\-\s]/g, '');
const PERSONAL_KEYS: ReadonlySet<string> = new Set(CANDIDATE_PERSONAL_FIELDS.map(normalise));
const BY_KEY: ReadonlyMap<string, CandidatePersonalField> = new Map(CANDIDATE_PERSONAL_FIELDS.map((f) => [normalise(f), f]));

/** Whether `role` may read candidates' personal fields; no role (an anonymous caller) may not. */
export const mayReadPersonal = (role: Role | null | undefined): boolean => role != null && ALLOWED.has(role);

/** Whether a property name (camelCase, snake_case, any case) names a personal field. */
export const isPersonalField = (key: string): boolean => PERSONAL_KEYS.has(normalise(key));

/** The listed name of a personal field however it is spelled (`desired_salary_min` -> `desiredSalaryMin`), or null. */
export const personalFieldName = (key: string): CandidatePersonalField | null => BY_KEY.get(normalise(key)) ?? null;

/** The column of a personal field (the snake-case naming strategy's name). */
export const personalColumn = (field: CandidatePersonalField): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `value` without personal fields at any depth unless `role` may read them. For free-form JSON whose
 * shape the schema does not describe (graph props, tool results); returns `value` itself when allowed.
 */
export function redactPersonal<T>(value: T, role: Role | null | undefined): T {
  return mayReadPersonal(role) ? value : (strip(value) as T);
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([k]) => !isPersonalField(k))
      .map(([k, v]) => [k, strip(v)]),
  );
}

/**
 * Notes a personal field that is about to be sent, in the request's read log (personal-read-log.ts),
 * which the server writes to the audit log once the response is ready. Runs after the role check, so
 * only values actually returned to an allowed caller are noted; null values reveal nothing and are not.
 */
const noteRead: MiddlewareFn<{ viewer?: { role: Role } | null }> = async ({ root, context, info }, next) => {
  const value: unknown = await next();
  const id = (root as { id?: unknown } | null)?.id;
  if (value != null && typeof id === 'string' && mayReadPersonal(context.viewer?.role)) {
    personalReadsOf(context).add(info.parentType.name.toLowerCase(), id, info.fieldName);
  }
  return value;
};

/**
 * Marks an entity property as personal: GraphQL resolves it only for PERSONAL_DATA_ROLES (FORBIDDEN
 * and null for the others, as `@Authorized` does), and every value it sends is audited. Throws at load
 * when the property is not in CANDIDATE_PERSONAL_FIELDS, so the decorator and the list cannot drift apart.
 */
export function PersonalField(): PropertyDecorator {
  const gate = Authorized(...PERSONAL_DATA_ROLES);
  const audit = UseMiddleware(noteRead);
  return (target, key) => {
    if (typeof key !== 'string' || !isPersonalField(key)) {
      throw new Error(`${String(key)} is marked @PersonalField() but is not in CANDIDATE_PERSONAL_FIELDS (src/hub/personal-data.ts)`);
    }
    gate(target, key);
    audit(target, key);
  };
}
