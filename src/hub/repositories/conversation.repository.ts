import { RagConversation, RagTurn } from '../entities/conversation.entity';
import type { Queryable } from './queryable';

/** What a stored turn holds besides its place: everything `appendTurn` writes. */
export type NewTurn = Omit<RagTurn, 'id' | 'conversation' | 'conversationId' | 'position' | 'createdAt'>;

/** The statements for the RAG assistant's conversations and their turns (rag_conversation, rag_turn). */
export class ConversationRepository {
  constructor(private readonly db: Queryable) {}

  find(id: string): Promise<RagConversation | null> {
    return this.db.getRepository(RagConversation).findOne({ where: { id } });
  }

  findTurn(id: string): Promise<RagTurn | null> {
    return this.db.getRepository(RagTurn).findOne({ where: { id } });
  }

  /** Every turn of a conversation, in order. */
  turns(conversationId: string): Promise<RagTurn[]> {
    return this.db.getRepository(RagTurn).find({ where: { conversationId }, order: { position: 'ASC' } });
  }

  /** The newest `limit` answered turns of a conversation (before `beforePosition` when given), newest first. */
  answeredTurns(conversationId: string, limit: number, beforePosition?: number): Promise<RagTurn[]> {
    return this.db
      .getRepository(RagTurn)
      .createQueryBuilder('t')
      .where('t.conversationId = :id', { id: conversationId })
      .andWhere('t.status = :status', { status: 'ANSWERED' })
      .andWhere(beforePosition === undefined ? '1 = 1' : 't.position < :before', { before: beforePosition ?? 0 })
      .orderBy('t.position', 'DESC')
      .limit(limit)
      .getMany();
  }

  /**
   * Stores a turn at the next position of its conversation, or of a new one (owned by `ownerKeyId`,
   * titled `title`) when `conversationId` is null. Run it in a transaction: it locks the conversation
   * so two turns asked at once get distinct positions.
   */
  async appendTurn(conversationId: string | null, owner: { ownerKeyId: string; title: string }, turn: NewTurn): Promise<RagTurn> {
    if (conversationId) {
      await this.db.query(`SELECT 1 FROM "rag_conversation" WHERE "id" = $1 FOR UPDATE`, [conversationId]);
      await this.db.query(`UPDATE "rag_conversation" SET "updated_at" = now() WHERE "id" = $1`, [conversationId]);
    } else {
      const created = await this.db.getRepository(RagConversation).save({ ownerKeyId: owner.ownerKeyId, title: owner.title });
      conversationId = created.id;
    }
    const [{ next }] = await this.db.query(
      `SELECT coalesce(max("position"), 0) + 1 AS "next" FROM "rag_turn" WHERE "conversation_id" = $1`,
      [conversationId],
    );
    return this.db.getRepository(RagTurn).save({ ...turn, conversationId, position: Number(next) });
  }
}
