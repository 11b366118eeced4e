import { PriorityLane } from '../../../src/adapters/embedding/priority-lane';

/** A task that runs until the test lets it finish, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (started.push(name), done.then(() => name)), finish };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('PriorityLane', () => {
  it('runs interactive tasks submitted after queued bulk tasks next, after the running one, each lane in order', async () => {
    const lane = new PriorityLane();
    const started: string[] = [];
    const [b1, b2, b3, i1, i2] = ['bulk 1', 'bulk 2', 'bulk 3', 'interactive 1', 'interactive 2'].map((n) => gate(started, n));
    const results = [lane.run('bulk', b1.task), lane.run('bulk', b2.task), lane.run('bulk', b3.task)];
    await settle();
    results.push(lane.run('interactive', i1.task), lane.run('interactive', i2.task));
    await settle();
    // One pass at a time: the running batch is never interrupted, nothing else starts beside it.
    expect(started).toEqual(['bulk 1']);
    expect(lane.queued).toBe(4);
    for (const g of [b1, i1, i2, b2, b3]) {
      g.finish();
      await settle();
    }
    await expect(Promise.all(results)).resolves.toEqual(['bulk 1', 'bulk 2', 'bulk 3', 'interactive 1', 'interactive 2']);
    expect(started).toEqual(['bulk 1', 'interactive 1', 'interactive 2', 'bulk 2', 'bulk 3']);
    expect(lane.queued).toBe(0);
  });

  it('keeps submission order within a priority and goes on after a task fails', async () => {
    const lane = new PriorityLane();
    const order: string[] = [];
    const failing = lane.run('bulk', async () => {
      order.push('a');
      throw new Error('backend failed');
    });
    const b = lane.run('bulk', async () => order.push('b'));
    const c = lane.run('interactive', async () => order.push('c'));
    const d = lane.run('interactive', async () => order.push('d'));
    await expect(failing).rejects.toThrow('backend failed');
    await Promise.all([b, c, d]);
    expect(order).toEqual(['a', 'c', 'd', 'b']);
    expect(lane.queued).toBe(0);
  });
});
