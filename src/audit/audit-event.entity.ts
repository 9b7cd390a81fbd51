import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { DATETIME } from '../db/columns';
import { AuditAction, AuditTargetType } from './audit-action';

/** One change to a key, client or account, written in the transaction that made it. */
@Entity('audit_events')
@Index('idx_audit_events_account', ['accountId', 'id'])
@Index('idx_audit_events_client', ['clientId', 'id'])
@Index('idx_audit_events_target', ['targetType', 'targetId', 'id'])
@ObjectType({ description: 'One change to a key, client or account: who, what, when and from where.', simpleResolvers: true })
@Auth()
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  /** The client the target belongs to, so a client key with audit:read sees its own client's trail. */
  @Column({ type: 'integer', name: 'client_id', nullable: true })
  clientId: number | null;

  @Field({
    description:
      "Who made the change: a key prefix, a user (`user:<sub>`), or the operator. A client key sees its own client's keys by prefix and every other actor as `account`.",
  })
  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Field(() => AuditAction)
  @Column({ type: 'varchar', length: 64 })
  action: AuditAction;

  @Field(() => AuditTargetType)
  @Column({ type: 'varchar', length: 32, name: 'target_type' })
  targetType: AuditTargetType;

  @Field(() => ID)
  @Column({ type: 'varchar', length: 64, name: 'target_id' })
  targetId: string;

  @Field(() => String, { nullable: true, description: 'The key prefix, for key events.' })
  @Column({ type: 'varchar', length: 16, name: 'target_prefix', nullable: true })
  targetPrefix: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 100, name: 'target_name', nullable: true })
  targetName: string | null;

  @Field(() => GraphQLJSONObject, { description: 'What changed, e.g. old and new names.' })
  @Column({ type: 'simple-json' })
  details: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, name: 'user_agent', nullable: true })
  userAgent: string | null;

  @Field()
  @Column({ ...DATETIME, name: 'created_at' })
  createdAt: Date;
}
