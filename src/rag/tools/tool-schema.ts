/**
 * Checks tool arguments against the JSON Schema the model is shown (ajv), and words each problem so
 * the planner can be asked to fix it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldProblem } from '../../shared/errors';

/**
 * The subset of JSON Schema the tool specs use. The schema shown to the model is the one ajv checks
 * arguments against (class-validator would need a parallel set of decorated classes that could drift
 * from what the model is told); every problem is reported with a dotted path the planner can be asked
 * to fix. A string that must not be blank says so with `pattern: '\\S'`.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

/** `pattern` of a string that must not be blank. */
export const NOT_BLANK = '\\S';
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every way `value` breaks `schema`, each with the dotted path of the offending value under `path`. */
export function validateAgainstSchema(schema: JsonSchema, value: unknown, path = ''): FieldProblem[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
  if (validate(value)) return [];
  // An empty string breaks minLength and NOT_BLANK both; one problem says it.
  const errors = (validate.errors ?? []).filter((e) => !(e.keyword === 'pattern' && e.params.pattern === NOT_BLANK && e.data === ''));
  return errors.map((e) => problemOf(e, path));
}

/** ajv's error as the planner reads it: `instancePath` (a JSON pointer) turned into a dotted path, and our wording. */
function problemOf(e: ErrorObject, prefix: string): FieldProblem {
  const at = (extra?: string) => {
    let path = prefix;
    for (const part of e.instancePath.split('/').slice(1)) path = join(path, part.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (extra !== undefined) path = join(path, extra);
    return path || '(args)';
  };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return { path: at(), message: `expected ${String(p.type)}, got ${typeOf(e.data)}` };
    case 'required':
      return { path: at(String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      return { path: at(String(p.additionalProperty)), message: `is not an argument; use ${allowed.join(', ')}` };
    }
    case 'enum':
      return { path: at(), message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'minimum':
      return { path: at(), message: `must be >= ${String(p.limit)}` };
    case 'maximum':
      return { path: at(), message: `must be <= ${String(p.limit)}` };
    case 'minLength':
      return { path: at(), message: `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { path: at(), message: `must have at most ${String(p.limit)} characters` };
    case 'minItems':
      return { path: at(), message: `needs at least ${String(p.limit)} items` };
    case 'maxItems':
      return { path: at(), message: `allows at most ${String(p.limit)} items` };
    case 'pattern':
      if (p.pattern === NOT_BLANK) return { path: at(), message: 'must not be blank' };
      return { path: at(), message: `must match ${String(p.pattern)}` };
    default:
      return { path: at(), message: e.message ?? `breaks ${e.keyword}` };
  }
}
