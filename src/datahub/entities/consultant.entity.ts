import { Column, Entity, Unique } from 'typeorm';
import { SourcedEntity } from './sourced.entity';

@Entity('consultant')
@Unique('uq_consultant_source_external_id', ['source', 'externalId'])
export class Consultant extends SourcedEntity {
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;
}
