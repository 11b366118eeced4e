import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { toGlobalId, type NodeType } from '../../shared/global-id';

/**
 * Columns every hub record shares. The UUID is also the record's Weaviate object id and Neo4j node id;
 * `source` + `externalId` is the key in the system it came from (unique per table, declared on each entity).
 */
@ObjectType()
export abstract class SourcedEntity {
  /** The database key, also the Weaviate object id and Neo4j node id; `id` in GraphQL is the global id. */
  @Field({ name: 'uuid', description: 'Key in the database, the search index and the graph' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field({ description: 'System the record came from' })
  @Column({ type: 'varchar', length: 64 })
  source: string;

  @Field({ description: 'Id in that system' })
  @Column({ type: 'varchar', length: 256 })
  externalId: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  /** Relay global id (the GraphQL `id` of node types); the class name is the node type. */
  get globalId(): string {
    return toGlobalId(this.constructor.name as NodeType, this.id);
  }
}
