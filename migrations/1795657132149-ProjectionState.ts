import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectionState1795657132149 implements MigrationInterface {
  name = 'ProjectionState1795657132149';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_outbox_event_pending\"");
    await queryRunner.query("CREATE TABLE \"projection_checkpoint\" (\"projection\" character varying(64) NOT NULL, \"last_seq\" bigint NOT NULL DEFAULT '0', \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_a2f877516cb130aafbe0213bb8f\" PRIMARY KEY (\"projection\"))");
    await queryRunner.query("CREATE TABLE \"projection_failure\" (\"projection\" character varying(64) NOT NULL, \"seq\" bigint NOT NULL, \"attempts\" integer NOT NULL DEFAULT '1', \"next_attempt_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"last_error\" text NOT NULL, \"parked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_e485d67c1f113afe825a7342818\" PRIMARY KEY (\"projection\", \"seq\"))");
    await queryRunner.query("CREATE INDEX \"ix_projection_failure_due\" ON \"projection_failure\"  (\"projection\", \"next_attempt_at\") WHERE \"parked_at\" IS NULL");
    await queryRunner.query("ALTER TABLE \"outbox_event\" DROP COLUMN \"processed_at\"");
    await queryRunner.query("ALTER TABLE \"outbox_event\" DROP COLUMN \"attempts\"");
    await queryRunner.query("ALTER TABLE \"outbox_event\" DROP COLUMN \"next_attempt_at\"");
    await queryRunner.query("ALTER TABLE \"outbox_event\" DROP COLUMN \"last_error\"");
    await queryRunner.query("ALTER TABLE \"outbox_event\" DROP COLUMN \"parked_at\"");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"outbox_event\" ADD \"parked_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"outbox_event\" ADD \"last_error\" text");
    await queryRunner.query("ALTER TABLE \"outbox_event\" ADD \"next_attempt_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("ALTER TABLE \"outbox_event\" ADD \"attempts\" integer NOT NULL DEFAULT '0'");
    await queryRunner.query("ALTER TABLE \"outbox_event\" ADD \"processed_at\" TIMESTAMP WITH TIME ZONE");
    await queryRunner.query("DROP INDEX \"public\".\"ix_projection_failure_due\"");
    await queryRunner.query("DROP TABLE \"projection_failure\"");
    await queryRunner.query("DROP TABLE \"projection_checkpoint\"");
    await queryRunner.query("CREATE INDEX \"ix_outbox_event_pending\" ON \"outbox_event\" USING btree (\"seq\") WHERE ((processed_at IS NULL) AND (parked_at IS NULL))");
  }
}
