import { badSearchInput } from './search-errors';
import type { FilterValues } from './search-schema';
import { CASE_INSENSITIVE_FIELDS, FILTER_FIELDS, FILTER_FIELD_NAMES, isFilterField, type FilterField } from './search-schema';

/**
 * A typed filter AST shared by both adapters: translated to Weaviate filters by
 * `toWeaviateFilter`, evaluated in process by `matchesFilter`. A document without a value for
 * the field never matches a leaf (Weaviate's null semantics).
 */
export type SearchFilter =
  | { op: 'eq'; field: FilterField; value: string | number }
  | { op: 'in'; field: FilterField; values: Array<string | number> }
  | { op: 'range'; field: FilterField; gt?: number; gte?: number; lt?: number; lte?: number }
  | { op: 'containsAny'; field: FilterField; values: string[] }
  | { op: 'containsAll'; field: FilterField; values: string[] }
  /** Text that starts with `value` (case-sensitive); `*` and `?` are refused, Weaviate's wildcards. */
  | { op: 'prefix'; field: FilterField; value: string }
  | { op: 'and'; filters: SearchFilter[] }
  | { op: 'or'; filters: SearchFilter[] };

const MAX_DEPTH = 8;
const MAX_NODES = 200;
const MAX_VALUES = 1000;

/**
 * Checks a filter from an untrusted caller and returns it with values normalised (trimmed,
 * lower-cased for case-insensitive fields). Throws SearchError BAD_USER_INPUT naming the path of
 * the first problem, e.g. `filters.filters.1.field: unknown field "salary"`.
 */
export function normalizeFilter(input: unknown, path = 'filters'): SearchFilter {
  const counter = { nodes: 0 };
  return normalizeNode(input, path, 0, counter);
}

function normalizeNode(input: unknown, path: string, depth: number, counter: { nodes: number }): SearchFilter {
  counter.nodes += 1;
  if (counter.nodes > MAX_NODES) throw badSearchInput('BAD_FILTER', `${path}: a filter may have at most ${MAX_NODES} nodes`);
  if (depth > MAX_DEPTH) throw badSearchInput('BAD_FILTER', `${path}: filters nest at most ${MAX_DEPTH} levels deep`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badSearchInput('BAD_FILTER', `${path}: expected an object such as { op: 'eq', field: 'location', value: 'Shanghai' }`);
  }
  const node = input as Record<string, unknown>;
  switch (node.op) {
    case 'and':
    case 'or': {
      if (!Array.isArray(node.filters) || node.filters.length === 0) {
        throw badSearchInput('BAD_FILTER', `${path}.filters: '${node.op}' needs a non-empty array of filters`);
      }
      return {
        op: node.op,
        filters: node.filters.map((f, i) => normalizeNode(f, `${path}.filters.${i}`, depth + 1, counter)),
      };
    }
    case 'eq': {
      const field = checkField(node.field, path, ['text', 'number', 'int']);
      return { op: 'eq', field, value: checkScalar(field, node.value, `${path}.value`) };
    }
    case 'in': {
      const field = checkField(node.field, path, ['text', 'number', 'int']);
      const values = checkArray(node.values, `${path}.values`).map((v, i) => checkScalar(field, v, `${path}.values.${i}`));
      return { op: 'in', field, values };
    }
    case 'containsAny':
    case 'containsAll': {
      const field = checkField(node.field, path, ['textArray']);
      const values = checkArray(node.values, `${path}.values`).map((v, i) => checkText(field, v, `${path}.values.${i}`));
      return { op: node.op, field, values };
    }
    case 'prefix': {
      const field = checkField(node.field, path, ['text']);
      const value = checkText(field, node.value, `${path}.value`);
      if (/[*?]/.test(value)) throw badSearchInput('BAD_FILTER', `${path}.value: a prefix may not contain * or ?`);
      return { op: 'prefix', field, value };
    }
    case 'range': {
      const field = checkField(node.field, path, ['number', 'int']);
      const out: SearchFilter = { op: 'range', field };
      let bounds = 0;
      for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
        if (node[key] === undefined) continue;
        const v = node[key];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw badSearchInput('BAD_FILTER', `${path}.${key}: expected a finite number, got ${describe(v)}`);
        }
        out[key] = v;
        bounds += 1;
      }
      if (bounds === 0) throw badSearchInput('BAD_FILTER', `${path}: 'range' needs at least one of gt, gte, lt, lte`);
      return out;
    }
    default:
      throw badSearchInput(
        'BAD_FILTER',
        `${path}.op: unknown operator ${describe(node.op)}; use one of eq, in, prefix, range, containsAny, containsAll, and, or`,
      );
  }
}

function checkField(value: unknown, path: string, allowed: readonly string[]): FilterField {
  if (typeof value !== 'string' || !isFilterField(value)) {
    throw badSearchInput(
      'UNKNOWN_FILTER_FIELD',
      `${path}.field: unknown field ${describe(value)}; filterable fields are ${FILTER_FIELD_NAMES.join(', ')}`,
      { field: value },
    );
  }
  const type = FILTER_FIELDS[value];
  if (!allowed.includes(type)) {
    throw badSearchInput('BAD_FILTER', `${path}.field: "${value}" is a ${type} field and cannot be used with this operator`);
  }
  return value;
}

function checkArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_VALUES) {
    throw badSearchInput('BAD_FILTER', `${path}: expected an array of 1 to ${MAX_VALUES} values`);
  }
  return value;
}

function checkScalar(field: FilterField, value: unknown, path: string): string | number {
  const type = FILTER_FIELDS[field];
  if (type === 'text') return checkText(field, value, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw badSearchInput('BAD_FILTER', `${path}: "${field}" holds numbers, got ${describe(value)}`);
  }
  if (type === 'int' && !Number.isInteger(value)) {
    throw badSearchInput('BAD_FILTER', `${path}: "${field}" holds whole numbers, got ${value}`);
  }
  return value;
}

function checkText(field: FilterField, value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badSearchInput('BAD_FILTER', `${path}: "${field}" holds non-empty strings, got ${describe(value)}`);
  }
  return normalizeFilterText(field, value);
}

export function normalizeFilterText(field: FilterField, value: string): string {
  const trimmed = value.trim();
  return CASE_INSENSITIVE_FIELDS.has(field) ? trimmed.toLowerCase() : trimmed;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json && json.length > 60 ? `${json.slice(0, 57)}...` : String(json);
}

/** Evaluates a normalised filter against a document's stored (normalised) properties. */
export function matchesFilter(filter: SearchFilter, props: FilterValues): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => matchesFilter(f, props));
    case 'or':
      return filter.filters.some((f) => matchesFilter(f, props));
    case 'eq':
      return props[filter.field] !== undefined && props[filter.field] === filter.value;
    case 'in': {
      const v = props[filter.field];
      return v !== undefined && !Array.isArray(v) && filter.values.includes(v);
    }
    case 'prefix': {
      const v = props[filter.field];
      return typeof v === 'string' && v.startsWith(filter.value);
    }
    case 'range': {
      const v = props[filter.field];
      if (typeof v !== 'number') return false;
      return (
        (filter.gt === undefined || v > filter.gt) &&
        (filter.gte === undefined || v >= filter.gte) &&
        (filter.lt === undefined || v < filter.lt) &&
        (filter.lte === undefined || v <= filter.lte)
      );
    }
    case 'containsAny':
    case 'containsAll': {
      const v = props[filter.field];
      if (!Array.isArray(v)) return false;
      return filter.op === 'containsAny' ? filter.values.some((x) => v.includes(x)) : filter.values.every((x) => v.includes(x));
    }
  }
}
