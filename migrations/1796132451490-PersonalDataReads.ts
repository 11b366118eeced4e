import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PersonalDataReads1796132451490 implements MigrationInterface {
  name = 'PersonalDataReads1796132451490';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"personal_data_read\" (\"id\" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, \"key_id\" uuid NOT NULL, \"role\" character varying(32) NOT NULL, \"record_type\" character varying(32) NOT NULL, \"record_id\" uuid NOT NULL, \"fields\" text array NOT NULL, \"read_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_5c543415f63f6d86c7ca556dd7b\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_personal_data_read_key_time\" ON \"personal_data_read\"  (\"key_id\", \"read_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_personal_data_read_record\" ON \"personal_data_read\"  (\"record_id\") ");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX \"public\".\"ix_personal_data_read_record\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_personal_data_read_key_time\"");
    await queryRunner.query("DROP TABLE \"personal_data_read\"");
  }
}
