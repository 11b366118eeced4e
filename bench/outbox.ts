/**
 * npm run bench:outbox [-- --writes 2000 --rounds 3]
 *
 * What reading the outbox in commit order costs a write: each outbox insert runs a trigger that
 * stamps the writing transaction's id. Times the same write transactions (a skill upsert and its
 * outbox event, as a mutation does) with the trigger on and off, alternating rounds, and prints the
 * ratio. Embedded PGlite in a temp directory by default; DATABASE_URL measures a PostgreSQL server
 * (in a scratch database it creates and drops). Figures are printed, never asserted.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../src/app/database';
import { type Database } from '../src/hub/database';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function scratch(): Promise<{ db: Database; done: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-bench-outbox-'));
    const db = await openDatabase({ url: null, dataDir, poolSize: 1, logSql: false });
    return { db, done: async () => void (await db.close(), fs.rmSync(dataDir, { recursive: true, force: true })) };
  }
  const name = `bench_outbox_${process.pid}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ url: u.toString(), dataDir: os.tmpdir(), poolSize: 4, logSql: false });
  return {
    db,
    done: async () => {
      await db.close();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function main() {
  const writes = arg('writes', 2000);
  const rounds = arg('rounds', 3);
  const { db, done } = await scratch();
  await db.dataSource.runMigrations({ transaction: 'each' });
  const write = async (i: number) =>
    db.dataSource.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO "skill" ("source", "external_id", "name", "name_key") VALUES ('bench', $1, $2, $1)
         ON CONFLICT ("source", "external_id") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id"`,
        [`s${i % 500}`, `Skill ${i}`],
      );
      await em.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") VALUES ('skill', $1, 'UPSERT')`, [row.id]);
    });
  const time = async (trigger: boolean) => {
    await db.dataSource.query(`ALTER TABLE "outbox_event" ${trigger ? 'ENABLE' : 'DISABLE'} TRIGGER "outbox_event_txid"`);
    if (!trigger) await db.dataSource.query(`ALTER TABLE "outbox_event" ALTER COLUMN "txid" SET DEFAULT 0`);
    const started = performance.now();
    for (let i = 0; i < writes; i++) await write(i);
    const seconds = (performance.now() - started) / 1000;
    await db.dataSource.query(`ALTER TABLE "outbox_event" ALTER COLUMN "txid" DROP DEFAULT`);
    return writes / seconds;
  };
  await time(true); // warm-up
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 0; r < rounds; r++) {
    off.push(await time(false));
    on.push(await time(true));
  }
  await db.dataSource.query(`ALTER TABLE "outbox_event" ENABLE TRIGGER "outbox_event_txid"`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `outbox write cost on ${db.kind === 'embedded' ? 'embedded PGlite' : 'PostgreSQL'}: ${writes} write transactions x ${rounds} rounds, Node ${process.version}`,
  );
  console.log(`  without the txid trigger: ${median(off).toFixed(0)} writes/s (rounds: ${off.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  with the txid trigger:    ${median(on).toFixed(0)} writes/s (rounds: ${on.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  ratio with/without: ${(median(on) / median(off)).toFixed(3)}`);
  await done();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
