import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { DATETIME, listTransformer } from '../db/columns';
import { parsePermission, Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { SCOPES_COLUMN } from '../scopes/key-scopes';

/**
 * What remains of a revoked key, for audit. It keeps the id the key had, so
 * links to the key keep resolving, and its hash, so a request presenting it is
 * told the key was revoked rather than that it never existed.
 */
@Entity('revoked_keys')
@Index('idx_revoked_keys_account', ['accountId', 'id'])
@Index('idx_revoked_keys_client', ['clientId', 'id'])
@ObjectType({ description: 'A permanently revoked key. It can never authenticate again.', simpleResolvers: true })
@Auth()
export class RevokedKey {
  @Field(() => ID, { description: 'The id the key had while it was live.' })
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Column({ type: 'integer', name: 'client_id', nullable: true })
  clientId: number | null;

  @Field(() => ApiKeyKind)
  @Column({ type: 'simple-enum', enum: ApiKeyKind })
  kind: ApiKeyKind;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field()
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Index('uq_revoked_keys_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'key_hash' })
  keyHash: string;

  /** The value a reset replaced, if its grace period was still running: it is told "revoked" too. */
  @Index('uq_revoked_keys_previous_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'previous_key_hash', nullable: true })
  previousKeyHash: string | null;

  @Field(() => [Permission])
  @Column({ type: 'varchar', length: 255, transformer: listTransformer(parsePermission) })
  permissions: Permission[];

  @Field(() => [String], { description: 'The platform scopes the key held when it was revoked, sorted.' })
  @Column({ type: 'text', nullable: true, transformer: SCOPES_COLUMN })
  scopes: string[];

  @Field({ description: 'When the key was created.' })
  @Column({ ...DATETIME, name: 'created_at' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ ...DATETIME, name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Field()
  @Column({ ...DATETIME, name: 'revoked_at' })
  revokedAt: Date;

  @Field({
    description: 'Who revoked it, as AuditEvent.actor names it (to a client key: its own keys by prefix, anyone else as `account`).',
  })
  @Column({ type: 'varchar', length: 200, name: 'revoked_by' })
  revokedBy: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;
}
