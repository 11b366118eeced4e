import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox is read in commit order: each event records the writing transaction's id (a trigger, so
 * every INSERT gets it, whoever writes it), and a projection's checkpoint becomes (txid, seq). Events
 * written before this migration all get txid 0: they were committed, and (0, seq) keeps their order.
 */
export class OutboxCommitOrder1795740000000 implements MigrationInterface {
  name = 'OutboxCommitOrder1795740000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbox_event" ADD "txid" bigint`);
    await queryRunner.query(`UPDATE "outbox_event" SET "txid" = 0`);
    await queryRunner.query(`ALTER TABLE "outbox_event" ALTER COLUMN "txid" SET NOT NULL`);
    await queryRunner.query(
      `CREATE FUNCTION "outbox_event_txid"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN NEW."txid" := pg_current_xact_id()::text::bigint; RETURN NEW; END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "outbox_event_txid" BEFORE INSERT ON "outbox_event" FOR EACH ROW EXECUTE FUNCTION "outbox_event_txid"()`,
    );
    await queryRunner.query(`CREATE INDEX "ix_outbox_event_commit_order" ON "outbox_event" ("txid", "seq") `);
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" ADD "last_txid" bigint NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" ADD "lease_owner" character varying(200)`);
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" ADD "lease_until" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" DROP COLUMN "lease_until"`);
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" DROP COLUMN "lease_owner"`);
    await queryRunner.query(`ALTER TABLE "projection_checkpoint" DROP COLUMN "last_txid"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_event_commit_order"`);
    await queryRunner.query(`DROP TRIGGER "outbox_event_txid" ON "outbox_event"`);
    await queryRunner.query(`DROP FUNCTION "outbox_event_txid"()`);
    await queryRunner.query(`ALTER TABLE "outbox_event" DROP COLUMN "txid"`);
  }
}
