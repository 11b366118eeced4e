import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from './errors';

/**
 * Depth of the deepest field path, following fragments (each fragment counted once per path, so a
 * fragment cycle cannot loop; GraphQL validation rejects such cycles anyway).
 */
export function queryDepth(doc: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) max = Math.max(max, sel.selectionSet ? 1 + walk(sel.selectionSet, seen) : 1);
      else if (sel.kind === Kind.INLINE_FRAGMENT) max = Math.max(max, walk(sel.selectionSet, seen));
      else if (!seen.has(sel.name.value))
        max = Math.max(max, walk(fragments.get(sel.name.value)?.selectionSet, new Set([...seen, sel.name.value])));
    }
    return max;
  };
  return Math.max(0, ...doc.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? walk(d.selectionSet, new Set()) : 0)));
}

/** Each field costs 1; a paginated field multiplies what it selects by the page size it asks for. */
const pageEstimator: ComplexityEstimator = ({ args, field, childComplexity }) => {
  const paged = String(field.type).replace(/!$/, '').endsWith('Connection');
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : paged ? 20 : 1;
  return 1 + childComplexity * Math.max(1, size);
};

export function enforceLimits(
  schema: GraphQLSchema,
  doc: DocumentNode,
  variables: Record<string, unknown>,
  limits: { maxDepth: number; maxCost: number },
  operationName?: string,
) {
  const depth = queryDepth(doc);
  if (depth > limits.maxDepth) {
    throw new AppError('QUERY_TOO_COMPLEX', `query depth ${depth} exceeds the limit of ${limits.maxDepth}; split it into several queries`);
  }
  const cost = getComplexity({ schema, query: doc, variables, operationName, estimators: [pageEstimator] });
  if (cost > limits.maxCost) {
    throw new AppError(
      'QUERY_TOO_COMPLEX',
      `query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first/last) or fewer nested lists`,
    );
  }
}
