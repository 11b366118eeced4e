import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ROLES, type Role } from '../../shared/roles';
import { Consultant } from './consultant.entity';

/** Only the SHA-256 of a key is stored; the key itself is shown once, when it is created. */
@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'role' })
  role: Role;

  @Column({ type: 'char', length: 64, unique: true })
  keyHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /**
   * The consultant the key speaks for (whose network the explorer starts from); null for keys of a tool,
   * a team, or made before keys could have one. Grants nothing: what the key may do is its role.
   */
  @Column({ type: 'uuid', nullable: true })
  consultantId: string | null;

  @ManyToOne(() => Consultant, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'consultant_id', foreignKeyConstraintName: 'fk_api_key_consultant' })
  consultant?: Consultant;
}
