import { AppError } from '../shared/errors';

// The package's types are ES module declarations although it ships a CommonJS build, which TypeScript's
// `module: node16` cannot pair with a static import from this CommonJS file; hence a typed require.
type RepeaterModule = typeof import('@repeaterjs/repeater', { with: { 'resolution-mode': 'import' } });
const { FixedBuffer, Repeater, RepeaterOverflowError } = require('@repeaterjs/repeater') as RepeaterModule;

/** Events buffered for a client before its producer must wait; see eventStream. */
export const EVENT_BUFFER = 256;

/**
 * Turns a push-style producer into the AsyncIterable a GraphQL subscription returns. The producer gets
 * an AbortSignal that fires when the consumer stops early (the client completes the subscription or
 * disconnects: graphql-ws then calls `return()`), which is how cancelling `askStream` cancels the
 * upstream LLM call. Events are delivered in order; the producer's end or failure ends the stream.
 *
 * Bounded: a Repeater with a fixed buffer of `capacity` events, beyond which pushes wait for the
 * client; a client that falls more than the Repeater's 1,024 pending pushes further behind ends the
 * stream with UNAVAILABLE and aborts the producer, so a slow reader never grows memory without limit.
 */
export function eventStream<T>(
  produce: (push: (event: T) => void, signal: AbortSignal) => Promise<void>,
  capacity = EVENT_BUFFER,
): AsyncIterableIterator<T> {
  return new Repeater<T>((push, stop) => {
    const controller = new AbortController();
    let finished = false;
    void stop.then(() => {
      if (finished) return;
      const reason = new Error('the subscriber stopped listening');
      reason.name = 'AbortError';
      controller.abort(reason);
    });
    const send = (event: T) => {
      if (controller.signal.aborted) return;
      try {
        void push(event);
      } catch (err) {
        if (!(err instanceof RepeaterOverflowError)) throw err;
        const tooSlow = new AppError('UNAVAILABLE', 'the client read the stream too slowly and fell too far behind; ask again');
        finished = true;
        controller.abort(tooSlow);
        stop(tooSlow);
      }
    };
    // Not awaited: the Repeater's return() waits for its executor, and a consumer that stops must not wait
    // for the producer to wind down after the abort.
    produce(send, controller.signal).then(
      () => {
        finished = true;
        stop();
      },
      (err: unknown) => {
        finished = true;
        stop(controller.signal.reason instanceof AppError ? controller.signal.reason : (err ?? new Error('stream failed')));
      },
    );
  }, new FixedBuffer(capacity));
}
