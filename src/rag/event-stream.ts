/**
 * Turns a push-style producer into the AsyncIterable a GraphQL subscription returns. The producer gets
 * an AbortSignal that fires when the consumer stops early (the client completes the subscription or
 * disconnects: graphql-ws then calls `return()`), which is how cancelling `askStream` cancels the
 * upstream LLM call. Events are buffered in order; the producer's end or failure ends the stream.
 *
 * Written here rather than taken from a library: it is one queue and one signal, and the pub/sub
 * packages built for topics (graphql-subscriptions, @graphql-yoga/subscription) model fan-out, not a
 * single producer whose lifetime is the subscription's.
 */
export function eventStream<T>(produce: (push: (event: T) => void, signal: AbortSignal) => Promise<void>): AsyncIterableIterator<T> {
  const queue: T[] = [];
  const controller = new AbortController();
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  produce((event) => {
    if (done) return;
    queue.push(event);
    notify();
  }, controller.signal).then(
    () => {
      done = true;
      notify();
    },
    (err: unknown) => {
      failure = err ?? new Error('stream failed');
      done = true;
      notify();
    },
  );

  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (queue.length > 0) return { value: queue.shift() as T, done: false };
        if (done) {
          if (failure) {
            const err = failure;
            failure = null;
            throw err;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return(): Promise<IteratorResult<T>> {
      if (!done) {
        const reason = new Error('the subscriber stopped listening');
        reason.name = 'AbortError';
        controller.abort(reason);
      }
      done = true;
      queue.length = 0;
      notify();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
