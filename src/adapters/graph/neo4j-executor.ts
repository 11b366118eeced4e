/**
 * The one owner of the Neo4j driver. Every query runs in a managed read or write transaction
 * with a timeout; sessions are closed in `finally`; driver errors become GraphError codes
 * (UNAVAILABLE when the server cannot be reached, TIMEOUT when a transaction ran too long).
 */
import neo4j, { type Driver, type ManagedTransaction, Neo4jError } from 'neo4j-driver';
import { GraphError } from './graph-errors';
import type { Statement } from './neo4j-cypher';

export interface Neo4jExecutorOptions {
  uri: string;
  user: string;
  password: string;
  database?: string;
  /** Per read transaction; the server aborts longer ones. Default 15 s. */
  txTimeoutMs?: number;
  /** Per write transaction (a batch of facts; schema changes). Default 120 s. */
  writeTimeoutMs?: number;
  /** To open a connection (and to wait for one from the pool). Default 5 s. */
  connectTimeoutMs?: number;
}

export type Row = Record<string, unknown>;

export class Neo4jExecutor {
  private readonly driver: Driver;
  private readonly txTimeoutMs: number;
  private readonly writeTimeoutMs: number;

  constructor(private readonly options: Neo4jExecutorOptions) {
    this.txTimeoutMs = options.txTimeoutMs ?? 15_000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 120_000;
    const connectTimeout = options.connectTimeoutMs ?? 5_000;
    this.driver = neo4j.driver(options.uri, neo4j.auth.basic(options.user, options.password), {
      disableLosslessIntegers: true,
      connectionTimeout: connectTimeout,
      connectionAcquisitionTimeout: connectTimeout,
      maxTransactionRetryTime: connectTimeout,
    });
  }

  async read<T>(work: (run: (s: Statement) => Promise<Row[]>) => Promise<T>): Promise<T> {
    return this.session('READ', work);
  }

  async write<T>(work: (run: (s: Statement) => Promise<Row[]>) => Promise<T>): Promise<T> {
    return this.session('WRITE', work);
  }

  /** Statements that cannot run inside a transaction function (schema changes). */
  async runAutoCommit(text: string): Promise<void> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.run(text, {}, { timeout: this.writeTimeoutMs });
    } catch (err) {
      throw this.translate(err);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async session<T>(mode: 'READ' | 'WRITE', work: (run: (s: Statement) => Promise<Row[]>) => Promise<T>): Promise<T> {
    const session = this.driver.session({
      database: this.options.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const txWork = async (tx: ManagedTransaction) =>
      work(async (s) => {
        const result = await tx.run(s.text, s.params);
        return result.records.map((r) => r.toObject() as Row);
      });
    try {
      const config = { timeout: mode === 'READ' ? this.txTimeoutMs : this.writeTimeoutMs };
      return mode === 'READ' ? await session.executeRead(txWork, config) : await session.executeWrite(txWork, config);
    } catch (err) {
      throw this.translate(err);
    } finally {
      await session.close();
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof GraphError) return err;
    if (err instanceof Neo4jError) {
      const code = err.code ?? '';
      if (code === 'ServiceUnavailable' || code === 'SessionExpired' || code.startsWith('Neo.TransientError.General.DatabaseUnavailable')) {
        return new GraphError(
          'UNAVAILABLE',
          `Neo4j at ${this.options.uri} is unreachable (${err.message}); start it (bash services/up.sh neo4j) or check NEO4J_URI.`,
          { uri: this.options.uri },
          { cause: err },
        );
      }
      if (code.includes('TransactionTimedOut') || code.includes('Transaction.Terminated')) {
        return new GraphError(
          'TIMEOUT',
          `The graph transaction ran past its timeout (reads ${this.txTimeoutMs} ms, writes ${this.writeTimeoutMs} ms) and was stopped; narrow the query (smaller depth, limit or first) or write smaller batches.`,
          { readTimeoutMs: this.txTimeoutMs, writeTimeoutMs: this.writeTimeoutMs },
          { cause: err },
        );
      }
      if (code.startsWith('Neo.TransientError')) {
        return new GraphError(
          'UNAVAILABLE',
          `Neo4j at ${this.options.uri} could not run the transaction now (${code}: ${err.message}); retry later or write smaller batches.`,
          { uri: this.options.uri, neo4jCode: code },
          { cause: err },
        );
      }
      if (code.startsWith('Neo.ClientError.Security')) {
        return new GraphError(
          'UNAVAILABLE',
          `Neo4j at ${this.options.uri} refused the credentials; check NEO4J_USER and NEO4J_PASSWORD.`,
          { uri: this.options.uri },
          { cause: err },
        );
      }
    }
    return err;
  }
}
