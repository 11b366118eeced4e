import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectionVersion1795676167988 implements MigrationInterface {
  name = 'ProjectionVersion1795676167988';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"projection_checkpoint\" ADD \"version\" character varying(200)");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"projection_checkpoint\" DROP COLUMN \"version\"");
  }
}
