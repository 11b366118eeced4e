import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consultant an API key speaks for, if any. Nullable, so every existing key keeps working
 * unlinked; a deleted consultant unlinks their keys rather than failing the delete.
 */
export class ApiKeyConsultant1796220000000 implements MigrationInterface {
  name = 'ApiKeyConsultant1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key" ADD "consultant_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "api_key" ADD CONSTRAINT "fk_api_key_consultant" FOREIGN KEY ("consultant_id") REFERENCES "consultant"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "fk_api_key_consultant"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP COLUMN "consultant_id"`);
  }
}
