import { DataSource, In } from 'typeorm';
import { keyEvent } from '../api-keys/api-key.events';
import { ApiKey } from '../api-keys/api-key.entity';
import { Transactor } from '../db/transactions';
import { isUniqueViolation } from '../db/unique-violation';
import { Clock } from '../shared/clock';
import { EventRecorder } from '../shared/events';
import { KeyExpiryNotice } from './key-expiry-notice.entity';

const DAY = 24 * 60 * 60 * 1000;
/** The notices, in order; a key's notice row holds the stage of the last one it had. */
const EXPIRING_7_DAYS = 1;
const EXPIRING_1_DAY = 2;
const EXPIRED = 3;
/** A key that expired longer ago than this (say, before webhooks were set up) gets no notice: it would be news to no one. */
const EXPIRED_NOTICE_WINDOW_MS = 3 * DAY;
/** Keys per scan: the next scan, a minute later, takes the rest. */
const SCAN_LIMIT = 500;
const NOTICE_PRIMARY_KEY = { name: 'PRIMARY', sqliteColumn: 'webhook_key_notices.key_id' };

/**
 * `api_key.expiring` (7 days and 1 day before expiresAt) and `api_key.expired`
 * come from no request: the dispatcher runs this scan. Each notice goes out
 * once per key and expiry time, however many instances scan: the notice row
 * is written (or moved on) in the transaction that records the event, and
 * an instance that loses the race to write it records nothing. A key that is
 * first seen late gets only its latest notice (expired, not expiring too).
 */
export class KeyExpiryScan {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async run(): Promise<void> {
    const now = this.clock.now();
    const keys = await this.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .select(['k.id', 'k.accountId', 'k.clientId', 'k.kind', 'k.name', 'k.prefix', 'k.expiresAt'])
      .where('k.expiresAt IS NOT NULL AND k.expiresAt <= :horizon AND k.expiresAt > :floor', {
        horizon: new Date(now + 7 * DAY),
        floor: new Date(now - EXPIRED_NOTICE_WINDOW_MS),
      })
      // Only accounts with an endpoint: the others have no one to tell (they get the notice once they add one).
      .andWhere('k.accountId IN (SELECT e.account_id FROM webhook_endpoints e)')
      // Only keys with a notice due now that they have not had: keys waiting for their next notice never
      // fill the batch, so one past SCAN_LIMIT still gets its first in time.
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM webhook_key_notices n WHERE n.key_id = k.id AND n.expires_at = k.expires_at
           AND n.stage >= CASE WHEN k.expires_at <= :now THEN :expired WHEN k.expires_at <= :dayAhead THEN :oneDay ELSE :sevenDays END)`,
        { now: new Date(now), dayAhead: new Date(now + DAY), expired: EXPIRED, oneDay: EXPIRING_1_DAY, sevenDays: EXPIRING_7_DAYS },
      )
      .orderBy('k.expiresAt', 'ASC')
      .limit(SCAN_LIMIT)
      .getMany();
    if (keys.length === 0) return;
    const notices = await this.dataSource.getRepository(KeyExpiryNotice).findBy({ keyId: In(keys.map((k) => k.id)) });
    for (const key of keys) {
      const expiresAt = key.expiresAt as Date;
      const left = expiresAt.getTime() - now;
      const due = left <= 0 ? EXPIRED : left <= DAY ? EXPIRING_1_DAY : EXPIRING_7_DAYS;
      const had = notices.find((n) => n.keyId === key.id && n.expiresAt.getTime() === expiresAt.getTime())?.stage ?? 0;
      if (had >= due) continue;
      await this.notify(key, expiresAt, had, due);
    }
  }

  private async notify(key: ApiKey, expiresAt: Date, had: number, due: number): Promise<void> {
    try {
      await this.transactor.run(async (manager) => {
        if (had === 0) {
          await manager.insert(KeyExpiryNotice, { keyId: key.id, expiresAt, stage: due });
        } else {
          const moved = await manager
            .createQueryBuilder()
            .update(KeyExpiryNotice)
            .set({ stage: due })
            .where('key_id = :keyId AND expires_at = :expiresAt AND stage < :due', { keyId: key.id, expiresAt, due })
            .execute();
          if (!moved.affected) return;
        }
        const event =
          due === EXPIRED
            ? keyEvent('api_key.expired', key, { expiresAt: expiresAt.toISOString() })
            : keyEvent('api_key.expiring', key, { expiresAt: expiresAt.toISOString(), daysBefore: due === EXPIRING_1_DAY ? 1 : 7 });
        await this.events.record(manager, event);
      });
    } catch (error) {
      // Another instance wrote this notice first, and recorded the event.
      if (!isUniqueViolation(error, NOTICE_PRIMARY_KEY)) throw error;
    }
  }
}
