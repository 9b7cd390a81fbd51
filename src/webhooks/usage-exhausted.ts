import { keyEvent } from '../api-keys/api-key.events';
import { ApiKey } from '../api-keys/api-key.entity';
import { Transactor } from '../db/transactions';
import { Logger } from '../logging/logger';
import { ExhaustedKey } from '../rate-limits/key-use.service';
import { EventRecorder } from '../shared/events';

/**
 * The key-use hook for a key whose last credit was just taken: records
 * `api_key.usage_exhausted`. The use changed no row (credits are counted in
 * Redis or memory and written behind), so the event gets a transaction of its
 * own, after the use was answered; it names the key as it is now, and a key
 * deleted meanwhile gets no event.
 */
export function usageExhaustedRecorder(transactor: Transactor, events: EventRecorder, logger: Logger): (key: ExhaustedKey) => void {
  return (exhausted) => {
    transactor
      .run(async (manager) => {
        const key = await manager.getRepository(ApiKey).findOne({
          select: { id: true, accountId: true, clientId: true, kind: true, name: true, prefix: true },
          where: { id: exhausted.keyId },
        });
        if (key) await events.record(manager, keyEvent('api_key.usage_exhausted', key, { remaining: 0 }));
      })
      .catch((error: unknown) => logger.error({ err: error, key: exhausted.prefix }, 'api_key.usage_exhausted could not be recorded'));
  };
}
