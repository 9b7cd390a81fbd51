import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { DATETIME, listTransformer } from '../db/columns';
import { Timestamped } from '../db/timestamps';
import { parsePermission, Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { KeyMetadata } from './key-metadata';
import { ALLOWED_IPS_COLUMN } from './ip-allowlist';
import { SCOPES_COLUMN } from '../scopes/key-scopes';
import { Refill, RefillInterval } from '../credits/refill';
import { KeyRateLimit, RATE_LIMITS_COLUMN } from '../rate-limits/key-rate-limits';

/**
 * A live key: active, inactive or expired. Revoked keys move to `revoked_keys`;
 * deleted ones leave only their audit events. The hashes are columns without
 * @Field: they can never reach the API.
 */
@Entity('api_keys')
@Index('idx_api_keys_account', ['accountId', 'id'])
@Index('idx_api_keys_client', ['clientId', 'id'])
// The webhook expiry scan's range (migration 040).
@Index('idx_api_keys_expires_at', ['expiresAt'])
@ObjectType({ description: 'An API key. Its secret is shown once, when it is created or reset.', simpleResolvers: true })
@Auth()
export class ApiKey extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
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

  @Field({ description: 'Display prefix, e.g. sk_4fQm9ZtX. Identifies the key; cannot authenticate.' })
  @Index('uq_api_keys_prefix', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Index('uq_api_keys_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'key_hash' })
  keyHash: string;

  /** The value replaced by the last reset, kept to honour a grace period and to say "was reset". */
  @Index('uq_api_keys_previous_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'previous_key_hash', nullable: true })
  previousKeyHash: string | null;

  @Column({ type: 'varchar', length: 16, name: 'previous_prefix', nullable: true })
  previousPrefix: string | null;

  /** Until when the previous value still authenticates; at or before the reset when there was no grace. */
  @Column({ ...DATETIME, name: 'previous_key_expires_at', nullable: true })
  previousKeyExpiresAt: Date | null;

  @Field(() => [Permission])
  @Column({ type: 'varchar', length: 255, transformer: listTransformer(parsePermission) })
  permissions: Permission[];

  @Field({ description: "The account's primary admin key: holds every permission; cannot be revoked, deactivated or deleted." })
  @Column({ type: 'boolean', name: 'is_primary', default: false })
  isPrimary: boolean;

  @Field({
    description:
      'Made by createPlaygroundKey: an hour-long key that counts towards the playground allowance (10 live keys), not the 25-key limit.',
  })
  @Column({ type: 'boolean', name: 'is_playground', default: false })
  isPlayground: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Field(() => Date, { nullable: true, description: 'Fixed at creation; the key stops working at this time.' })
  @Column({ ...DATETIME, name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key last authenticated a request; null if never.' })
  @Column({ ...DATETIME, name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  @Column({ type: 'varchar', length: 45, name: 'last_used_ip', nullable: true })
  lastUsedIp: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "The platform's own data on the key (a JSON object, at most 4 KB as JSON), returned by every verification; null: none.",
  })
  @Column({ type: 'simple-json', nullable: true })
  metadata: KeyMetadata | null;

  @Field(() => [String], {
    description:
      'The addresses the key may be used from: IPv4 and IPv6 addresses and CIDR ranges, normalised (10.0.0.0/8, 2001:db8::/32). ' +
      'Empty: any address. A request from elsewhere gets 403 IP_NOT_ALLOWED.',
  })
  @Column({ type: 'text', name: 'allowed_ips', nullable: true, transformer: ALLOWED_IPS_COLUMN })
  allowedIps: string[];

  @Field(() => [String], {
    description:
      "The platform scopes the key holds (your own API's permissions, see the scopes catalogue), sorted; " +
      'verification with requiredScopes answers INSUFFICIENT_SCOPE when one is missing. invoices:* covers every invoices action.',
  })
  @Column({ type: 'text', nullable: true, transformer: SCOPES_COLUMN })
  scopes: string[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Usage credits left: every request made with the key costs 1, every verification its cost; at 0 requests get ' +
      '429 USAGE_EXCEEDED and verifications USAGE_EXCEEDED. null: unlimited. The live count, as the next use will find it.',
  })
  @Column({ type: 'integer', nullable: true })
  remaining: number | null;

  @Column({ type: 'integer', name: 'refill_amount', nullable: true })
  refillAmount: number | null;

  @Column({ type: 'simple-enum', enum: RefillInterval, name: 'refill_interval', nullable: true })
  refillInterval: RefillInterval | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When remaining was last set whole: by a refill, at creation, or by updateApiKey. null: no credits.',
  })
  @Column({ ...DATETIME, name: 'last_refill_at', nullable: true })
  lastRefillAt: Date | null;

  @Field(() => [KeyRateLimit], {
    description: "The key's own named rate limits (at most 10), charged besides its pool; empty: none.",
  })
  @Column({ type: 'text', name: 'rate_limits', nullable: true, transformer: RATE_LIMITS_COLUMN })
  rateLimits: KeyRateLimit[];

  @Field(() => Refill, { nullable: true, description: 'When and to what remaining is set back; null: never.' })
  get refill(): Refill | null {
    return this.refillAmount === null || this.refillInterval === null ? null : { amount: this.refillAmount, interval: this.refillInterval };
  }
}
