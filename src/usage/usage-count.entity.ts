import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { UsageOutcome } from './usage-outcome';

/**
 * How many uses of one key ended with one outcome in one hour. The account
 * and client are copied from the key, so the sums for an account or a client
 * read this table alone, and a revoked or deleted key's counts still add up.
 * The primary key is what each flush's upsert adds to.
 */
@Entity('usage_buckets')
@Index('idx_usage_buckets_account', ['accountId', 'bucketStart'])
@Index('idx_usage_buckets_client', ['clientId', 'bucketStart'])
@Index('idx_usage_buckets_start', ['bucketStart'])
export class UsageCount {
  @PrimaryColumn({ type: 'integer', name: 'key_id' })
  keyId: number;

  /** The hour's first instant, UTC (DATETIME's shape, spelled out: a primary column cannot be nullable). */
  @PrimaryColumn({ type: 'datetime', precision: 6, name: 'bucket_start' })
  bucketStart: Date;

  @PrimaryColumn({ type: 'simple-enum', enum: UsageOutcome })
  outcome: UsageOutcome;

  @Column({ type: 'integer', name: 'account_id' })
  accountId: number;

  @Column({ type: 'integer', name: 'client_id', nullable: true })
  clientId: number | null;

  @Column({ type: 'integer' })
  count: number;
}
