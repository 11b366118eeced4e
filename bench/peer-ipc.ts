/**
 * Messages between `npm run bench:peer` (bench/peer.ts) and its child processes: the two GraphQL servers
 * (bench/peer-matchhub.ts, bench/peer-postgraphile.ts) and the load generator (bench/peer-load.ts).
 */

/** A server child, once it listens: where to POST and which headers a request needs. */
export interface ServerReady {
  type: 'ready';
  url: string;
  headers: Record<string, string>;
}

/** A server child's counters, sent when the parent sends `{ type: 'sample' }`. */
export interface ServerSample {
  type: 'sample';
  /** process.cpuUsage(), user + system, in microseconds. */
  cpuMicros: number;
  /** SQL statements the server sent to PostgreSQL so far. */
  statements: number;
}

export type ParentToServer = { type: 'sample' } | { type: 'stop' };

/** One timed round of the load generator: `connections` keep-alive connections for `seconds`. */
export interface LoadJob {
  type: 'load';
  url: string;
  headers: Record<string, string>;
  /** JSON request bodies, sent round-robin. */
  bodies: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  type: 'result';
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Latency of each successful request, in milliseconds. */
  latencies: number[];
}
