import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How far the outbox was pruned (one row): events at or behind (last_txid, last_seq) in commit order
 * may be gone. A projection whose checkpoint lies behind it missed events and is rebuilt from the
 * tables (see Projector.prune). No entity: only the projector reads and writes it, in SQL.
 */
export class OutboxPruned1796140000000 implements MigrationInterface {
  name = 'OutboxPruned1796140000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outbox_pruned" ("id" smallint NOT NULL DEFAULT 1, "last_txid" bigint NOT NULL, "last_seq" bigint NOT NULL,
         "pruned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_outbox_pruned" PRIMARY KEY ("id"), CONSTRAINT "CHK_outbox_pruned_one_row" CHECK ("id" = 1))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbox_pruned"`);
  }
}
