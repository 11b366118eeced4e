import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Occupations of two taxonomies (O*NET, ESCO) in one table, each with the codes of its closest
 * occupations in the other (see hub/taxonomy/isco-soc-crosswalk.ts for how coarse the link is).
 */
export class OccupationLinks1796200000000 implements MigrationInterface {
  name = 'OccupationLinks1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "occupation" ADD "linked_codes" text array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "occupation" DROP COLUMN "linked_codes"`);
  }
}
