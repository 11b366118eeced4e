import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';

/**
 * The audit log of personal data (hub/personal-data.ts) that left MatchHub: one row per record per
 * request (or RAG turn) in which a caller allowed to see them was sent personal fields of that record.
 * Append-only. No foreign keys: the log outlives deleted candidates, and keys are revoked, not deleted.
 */
@ObjectType({ description: 'Personal fields of one record sent to one API key (admin only)' })
@Entity('personal_data_read')
@Index('ix_personal_data_read_record', ['recordId'])
@Index('ix_personal_data_read_key_time', ['keyId', 'readAt'])
export class PersonalDataRead {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Field(() => ID, { description: 'The API key that read the fields (api_key.id)' })
  @Column({ type: 'uuid' })
  keyId: string;

  @Field({ description: "The key's role at the time of the read" })
  @Column({ type: 'varchar', length: 32 })
  role: string;

  @Field({ description: 'Type of the record, e.g. candidate' })
  @Column({ type: 'varchar', length: 32 })
  recordType: string;

  @Field(() => ID, { description: "The record's uuid" })
  @Column({ type: 'uuid' })
  recordId: string;

  @Field(() => [String], { description: 'Personal fields sent, e.g. email, phone' })
  @Column({ type: 'text', array: true })
  fields: string[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  readAt: Date;
}
