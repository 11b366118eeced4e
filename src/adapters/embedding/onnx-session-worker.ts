import { Worker } from 'node:worker_threads';

/**
 * An onnxruntime session in a worker thread. onnxruntime-node runs a forward pass on the calling
 * thread, so on the main thread a passage batch (hundreds of ms on 2 cores) would stall every HTTP
 * request for as long; in a worker the event loop keeps serving while the model computes. The worker
 * only runs the session: tokenizing, tensor layout and pooling stay with the caller.
 *
 * The worker's source is inline (plain CommonJS) so it loads the same from the build and under tests.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
let session;
parentPort.on('message', async (m) => {
  try {
    if (m.op === 'open') {
      session = await ort.InferenceSession.create(m.file, m.options);
      parentPort.postMessage({ id: m.id });
    } else if (m.op === 'run') {
      const feeds = {};
      for (const f of m.feeds) feeds[f.name] = new ort.Tensor('int64', f.data, f.dims);
      const result = await session.run(feeds);
      const data = Float32Array.from(result[m.output].data);
      for (const value of Object.values(result)) value.dispose();
      parentPort.postMessage({ id: m.id, data }, [data.buffer]);
    } else if (m.op === 'release') {
      await session?.release();
      parentPort.postMessage({ id: m.id });
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message ? err.message : err) });
  }
});
`;

export interface SessionFeed {
  name: string;
  data: BigInt64Array;
  dims: number[];
}

interface Reply {
  id: number;
  data?: Float32Array;
  error?: string;
}

export class WorkerSession {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: Reply) => {
      const waiter = this.pending.get(r.id);
      this.pending.delete(r.id);
      this.idle();
      waiter?.resolve(r);
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`the ONNX worker exited with code ${code}`)));
    this.idle();
  }

  /** Throws an Error with onnxruntime's message when the model cannot be loaded. */
  static async open(file: string, options: object): Promise<WorkerSession> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ort: require.resolve('onnxruntime-node') } });
    const session = new WorkerSession(worker);
    try {
      await session.request({ op: 'open', file, options });
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return session;
  }

  /** The named output of one forward pass, as a flat float32 array. */
  async run(feeds: SessionFeed[], output: string): Promise<Float32Array> {
    const transfer = feeds.map((f) => f.data.buffer as ArrayBuffer);
    const reply = await this.request({ op: 'run', feeds, output }, transfer);
    return reply.data!;
  }

  async release(): Promise<void> {
    try {
      await this.request({ op: 'release' });
    } finally {
      await this.worker.terminate();
    }
  }

  private request(message: object, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const id = this.next++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // An idle worker does not keep the process alive; one with work in flight does.
      this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    }).then((r) => {
      if (r.error !== undefined) throw new Error(r.error);
      return r;
    });
  }

  private idle(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  private failAll(err: Error): void {
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }
}
