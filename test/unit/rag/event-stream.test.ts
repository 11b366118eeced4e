import { AppError } from '../../../src/shared/errors';
import { eventStream } from '../../../src/rag/event-stream';

async function drain<T>(it: AsyncIterable<T>): Promise<{ events: T[]; error: unknown }> {
  const events: T[] = [];
  try {
    for await (const e of it) events.push(e);
    return { events, error: null };
  } catch (error) {
    return { events, error };
  }
}

describe('eventStream', () => {
  it('delivers every event in order, then ends; a failure comes after the events pushed before it', async () => {
    expect(
      await drain(
        eventStream<number>(async (push) => {
          for (let i = 0; i < 5; i++) push(i);
        }),
      ),
    ).toEqual({ events: [0, 1, 2, 3, 4], error: null });
    const failed = await drain(
      eventStream<number>(async (push) => {
        push(1);
        throw new AppError('UNAVAILABLE', 'the model is down');
      }),
    );
    expect(failed.events).toEqual([1]);
    expect(failed.error).toMatchObject({ code: 'UNAVAILABLE', message: 'the model is down' });
  });

  it('aborts the producer when the consumer stops reading early', async () => {
    let signal: AbortSignal | null = null;
    let release!: () => void;
    const stream = eventStream<string>(async (push, s) => {
      signal = s;
      push('first');
      await new Promise<void>((r) => (release = r));
    });
    expect(await stream.next()).toEqual({ value: 'first', done: false });
    await stream.return!();
    expect(signal!.aborted).toBe(true);
    expect((signal!.reason as Error).name).toBe('AbortError');
    release();
  });

  it('ends the stream of a client that stops reading, instead of buffering without limit', async () => {
    let signal: AbortSignal | null = null;
    let pushed = 0;
    const stream = eventStream<number>(async (push, s) => {
      signal = s;
      // A producer that never waits (like the LLM's token stream) and a client that reads nothing meanwhile.
      for (let i = 0; i < 100_000 && !s.aborted; i++, pushed++) push(i);
    }, 16);
    const { events, error } = await drain(stream);
    expect(signal!.aborted).toBe(true);
    expect(pushed).toBeLessThan(100_000);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/too slowly/) });
    // What was buffered before the cut is still delivered, in order.
    expect(events).toEqual(Array.from({ length: events.length }, (_, i) => i));
    expect(events.length).toBeLessThanOrEqual(pushed);
  });
});
