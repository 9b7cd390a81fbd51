import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which expiry notices a key has had for its current expiry time, so each
 * goes out once, however many dispatchers scan: 1 after `api_key.expiring`
 * (7 days), 2 after `api_key.expiring` (1 day), 3 after `api_key.expired`.
 */
@Entity('webhook_key_notices')
export class KeyExpiryNotice {
  @PrimaryColumn({ type: 'integer', name: 'key_id' })
  keyId: number;

  // DATETIME's shape, spelt out: a primary column cannot take ColumnOptions (their nullable may be true).
  @PrimaryColumn({ type: 'datetime', precision: 6, name: 'expires_at' })
  expiresAt: Date;

  @Column({ type: 'integer' })
  stage: number;
}
