import type { ApolloServerPlugin } from '@apollo/server';
import { isAbstractType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';

/**
 * What an operation asks of each object type: the names of the fields it selects on that type
 * anywhere in the document (fragments and inline fragments included; a field selected on an
 * interface counts for every type implementing it). The read path uses it to read only those
 * columns (hub/repositories/entity-rows.ts): a GraphQL field reads the entity property of its name.
 */
export type Selection = ReadonlyMap<string, ReadonlySet<string>>;

/** Apollo keeps one parsed document per distinct query text, so the walk runs once per text. */
const cache = new WeakMap<DocumentNode, Selection>();

export function selectionOf(schema: GraphQLSchema, document: DocumentNode): Selection {
  const cached = cache.get(document);
  if (cached) return cached;
  const fields = new Map<string, Set<string>>();
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        for (const type of isAbstractType(parent) ? schema.getPossibleTypes(parent) : [parent]) {
          let set = fields.get(type.name);
          if (!set) fields.set(type.name, (set = new Set()));
          set.add(node.name.value);
        }
      },
    }),
  );
  cache.set(document, fields);
  return fields;
}

/** Gives each request's context the selection of its operation once the operation is known, before execution. */
export function selectionPlugin(): ApolloServerPlugin<{ selection: { current: Selection | null } }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema }) {
          contextValue.selection.current = selectionOf(schema, document);
        },
      };
    },
  };
}
