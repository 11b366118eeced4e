/**
 * The load generator of `npm run bench:peer` (bench/peer.ts), in a process of its own so that neither
 * server's CPU figure includes the client. Each job keeps `connections` keep-alive HTTP connections busy
 * for `seconds` (a closed loop: a connection sends its next request when the answer is in) and reports the
 * count and the latencies. An answer counts as an error unless it is 200 without a top-level "errors".
 */
import http from 'node:http';
import type { LoadJob, LoadResult } from './peer-ipc';

function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve(res.statusCode === 200 && !text.startsWith('{"errors"') && !text.includes('"errors":[') ? null : text.slice(0, 300));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < deadline) {
        const body = job.bodies[next++ % job.bodies.length];
        const t = performance.now();
        const problem = await post(agent, url, job.headers, body).catch((err: Error) => err.message);
        if (problem === null) latencies.push(performance.now() - t);
        else {
          errors += 1;
          firstError ??= problem;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { type: 'result', requests: latencies.length, errors, firstError, elapsedMs, latencies };
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
