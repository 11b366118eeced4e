import { defaultFieldResolver, getNamedType, isLeafType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AppError } from './errors';

/** The refusal a request gets when its time budget runs out; `variable` names the setting to change. */
export function budgetExceeded(ms: number, variable: string): AppError {
  return new AppError(
    'UNAVAILABLE',
    `the request ran longer than its time budget of ${ms} ms (${variable}) and was stopped; ask for less ` +
      '(smaller pages, fewer search, graph or RAG calls) or retry when the server is less busy',
  );
}

/** A signal that aborts with `reason()` after `ms`; `clear()` once the request is answered. */
export function startDeadline(ms: number, reason: () => Error): { signal: AbortSignal; abort(reason: Error): void; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason()), ms);
  timer.unref();
  return {
    signal: controller.signal,
    abort: (r) => {
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort(r);
    },
    clear: () => clearTimeout(timer),
  };
}

const WRAPPED = Symbol('stopsAtDeadline');
type Resolver = GraphQLFieldResolver<unknown, { signal?: AbortSignal } | undefined> & { [WRAPPED]?: true };

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw signal.reason;
}

/** The value, or a promise that rejects with the signal's reason as soon as it aborts (the value is then dropped). */
function raceAbort<T>(value: T, signal: AbortSignal | undefined): T | Promise<Awaited<T>> {
  if (!signal || typeof (value as { then?: unknown } | null)?.then !== 'function') return value;
  return new Promise<Awaited<T>>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(value)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Makes the schema's resolvers honour `context.signal` (context.ts): once it aborts, no resolver that
 * loads anything starts, and query and mutation root fields stop being waited for (their result is
 * dropped; the services they called finish on their own, except `ask`, which passes the signal on to
 * the LLM call). Leaf fields (scalars and enums read from a loaded record) are left alone: they do no
 * I/O and wrapping every one of them costs throughput. Subscriptions end when their client completes
 * them. Idempotent; returns the schema it was given.
 */
export function stopAtDeadline(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getSubscriptionType()) continue;
    const root = roots.has(type);
    for (const field of Object.values(type.getFields())) {
      if (!root && isLeafType(getNamedType(field.type))) continue;
      const resolve: Resolver = field.resolve ?? defaultFieldResolver;
      if (resolve[WRAPPED]) continue;
      const wrapped: Resolver = root
        ? (source, args, context, info) => {
            throwIfAborted(context?.signal);
            return raceAbort(resolve(source, args, context, info), context?.signal);
          }
        : (source, args, context, info) => {
            throwIfAborted(context?.signal);
            return resolve(source, args, context, info);
          };
      wrapped[WRAPPED] = true;
      field.resolve = wrapped;
    }
  }
  return schema;
}
