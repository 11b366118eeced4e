import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RagConversations1795664640702 implements MigrationInterface {
  name = 'RagConversations1795664640702';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"rag_conversation\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"owner_key_id\" uuid NOT NULL, \"title\" character varying(200) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_800d08ab3a1d7281d66bfe87468\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_rag_conversation_owner\" ON \"rag_conversation\"  (\"owner_key_id\", \"updated_at\") ");
    await queryRunner.query("CREATE TABLE \"rag_turn\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"conversation_id\" uuid NOT NULL, \"position\" integer NOT NULL, \"question\" text NOT NULL, \"status\" character varying(16) NOT NULL, \"answer\" text NOT NULL DEFAULT '', \"reasoning\" text NOT NULL DEFAULT '', \"plan\" jsonb NOT NULL DEFAULT '{}', \"steps\" jsonb NOT NULL DEFAULT '[]', \"citations\" jsonb NOT NULL DEFAULT '[]', \"rejected_citations\" text array NOT NULL DEFAULT '{}', \"usage\" jsonb NOT NULL DEFAULT '{}', \"timings\" jsonb NOT NULL DEFAULT '{}', \"error\" text, \"rerun_of\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"uq_rag_turn_position\" UNIQUE (\"conversation_id\", \"position\"), CONSTRAINT \"ck_rag_turn_status\" CHECK (\"status\" IN ('ANSWERED', 'FAILED', 'CANCELLED')), CONSTRAINT \"PK_5f848b3c19c65ed3bb1af8f2278\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("ALTER TABLE \"rag_turn\" ADD CONSTRAINT \"FK_1b6fffeede39192a365073a620c\" FOREIGN KEY (\"conversation_id\") REFERENCES \"rag_conversation\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"rag_turn\" DROP CONSTRAINT \"FK_1b6fffeede39192a365073a620c\"");
    await queryRunner.query("DROP TABLE \"rag_turn\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_rag_conversation_owner\"");
    await queryRunner.query("DROP TABLE \"rag_conversation\"");
  }
}
