import { PriorityLane } from '../../../src/adapters/embedding/priority-lane';

/** A task that runs until the test lets it finish, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (started.push(name), done.then(() => name)), finish };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('PriorityLane', () => {
  it('runs a query submitted while passage batches are queued before them, after the running batch', async () => {
    const lane = new PriorityLane();
    const started: string[] = [];
    const [p1, p2, p3, q] = ['passage 1', 'passage 2', 'passage 3', 'query'].map((n) => gate(started, n));
    const results = [lane.run('passage', p1.task), lane.run('passage', p2.task), lane.run('passage', p3.task)];
    await settle();
    results.push(lane.run('query', q.task));
    await settle();
    // One pass at a time: the running batch is never interrupted, nothing else starts beside it.
    expect(started).toEqual(['passage 1']);
    expect(lane.queued).toBe(3);
    p1.finish();
    await settle();
    expect(started).toEqual(['passage 1', 'query']);
    q.finish();
    await settle();
    p2.finish();
    await settle();
    p3.finish();
    await expect(Promise.all(results)).resolves.toEqual(['passage 1', 'passage 2', 'passage 3', 'query']);
    expect(started).toEqual(['passage 1', 'query', 'passage 2', 'passage 3']);
  });

  it('keeps submission order within a kind and goes on after a task fails', async () => {
    const lane = new PriorityLane();
    const order: string[] = [];
    const failing = lane.run('passage', async () => {
      order.push('a');
      throw new Error('backend failed');
    });
    const b = lane.run('passage', async () => order.push('b'));
    const c = lane.run('query', async () => order.push('c'));
    const d = lane.run('query', async () => order.push('d'));
    await expect(failing).rejects.toThrow('backend failed');
    await Promise.all([b, c, d]);
    expect(order).toEqual(['a', 'c', 'd', 'b']);
    expect(lane.queued).toBe(0);
  });
});
