import type { DataSource } from 'typeorm';

/** The open system of record: app/database.ts opens it (PGlite or PostgreSQL), services use it. */
export interface Database {
  dataSource: DataSource;
  /** Statements sent since the database was opened. */
  statementCount(): number;
  /** `embedded` when MatchHub started its own PGlite. */
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}
