import { Check, Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/**
 * A consultant's conversation with the RAG assistant. It belongs to the API key that started it:
 * another key cannot read it or continue it (the turns hold retrieved records).
 */
@Entity('rag_conversation')
@Index('ix_rag_conversation_owner', ['ownerKeyId', 'updatedAt'])
export class RagConversation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The api_key row that started it. */
  @Column({ type: 'uuid' })
  ownerKeyId: string;

  /** The first question, shortened: what a conversation list shows. */
  @Column({ type: 'varchar', length: 200 })
  title: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * One question and everything that answered it: the plan, each step's inputs, outputs and timing,
 * the answer with its checked citations, and token usage. Kept whole (jsonb) because a turn is read
 * and written as one document: follow-ups reuse its step results, and a re-run copies and edits it.
 */
@Entity('rag_turn')
@Unique('uq_rag_turn_position', ['conversationId', 'position'])
@Check('ck_rag_turn_status', `"status" IN ('ANSWERED', 'FAILED', 'CANCELLED')`)
export class RagTurn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => RagConversation, { onDelete: 'CASCADE', nullable: false })
  conversation?: RagConversation;

  @Column({ type: 'uuid' })
  conversationId: string;

  /** 1, 2, ... within the conversation. */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  question: string;

  @Column({ type: 'varchar', length: 16 })
  status: 'ANSWERED' | 'FAILED' | 'CANCELLED';

  @Column({ type: 'text', default: '' })
  answer: string;

  /** The model's visible reasoning (planning, then answering). Shown to the user, never sent back to the model. */
  @Column({ type: 'text', default: '' })
  reasoning: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  plan: unknown;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  steps: unknown;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  citations: unknown;

  /** Ids the model cited that no step returned: removed from the answer and reported. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  rejectedCitations: string[];

  @Column({ type: 'jsonb', default: () => `'{}'` })
  usage: unknown;

  /** Milliseconds spent planning, running tools and answering. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  timings: unknown;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The turn this one re-ran with an edited step, if any. */
  @Column({ type: 'uuid', nullable: true })
  rerunOf: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
