import type { FilterValue } from 'weaviate-client';
import type { SearchFilter } from './search-filter';
import type { FilterField } from './search-schema';

/**
 * Weaviate keeps text sections and filter properties in one namespace, and the port uses `skills`
 * for both (the searchable skills section and the exact skill list), so the filter side is stored
 * under another name. A unit test checks that no other name collides.
 */
const RENAMED: Partial<Record<FilterField, string>> = { skills: 'skillTags' };

export function weaviateFilterProperty(field: FilterField): string {
  return RENAMED[field] ?? field;
}

/**
 * Translates a normalised SearchFilter into the weaviate-client filter structure (the same objects
 * `collection.filter.byProperty(...)` builds). Pure, so it is unit-tested without a server.
 * `in` on a scalar field becomes ContainsAny, which Weaviate evaluates as "equals any" there.
 */
export function toWeaviateFilter(filter: SearchFilter): FilterValue {
  switch (filter.op) {
    case 'and':
      return { operator: 'And', filters: filter.filters.map(toWeaviateFilter), value: null };
    case 'or':
      return { operator: 'Or', filters: filter.filters.map(toWeaviateFilter), value: null };
    case 'eq':
      return leaf('Equal', filter.field, filter.value);
    case 'in':
    case 'containsAny':
      return leaf('ContainsAny', filter.field, filter.values);
    case 'containsAll':
      return leaf('ContainsAll', filter.field, filter.values);
    case 'prefix':
      // The property is tokenized as one field, so Like matches the whole value; the prefix has no wildcards.
      return leaf('Like', filter.field, `${filter.value}*`);
    case 'range': {
      const parts: FilterValue[] = [];
      if (filter.gt !== undefined) parts.push(leaf('GreaterThan', filter.field, filter.gt));
      if (filter.gte !== undefined) parts.push(leaf('GreaterThanEqual', filter.field, filter.gte));
      if (filter.lt !== undefined) parts.push(leaf('LessThan', filter.field, filter.lt));
      if (filter.lte !== undefined) parts.push(leaf('LessThanEqual', filter.field, filter.lte));
      return parts.length === 1 ? parts[0] : { operator: 'And', filters: parts, value: null };
    }
  }
}

function leaf(operator: FilterValue['operator'], field: FilterField, value: unknown): FilterValue {
  return { operator, target: { property: weaviateFilterProperty(field) }, value };
}
