import { EntityManager } from 'typeorm';
import { LimitExceededError } from '../shared/errors';
import { ApiKey } from './api-key.entity';
import { whereLive } from './api-key-status';
import { KEY_LIMIT, PLAYGROUND_KEY_LIMIT } from './api-key.rules';

/** The allowance a new key draws on (see KEY_LIMIT and PLAYGROUND_KEY_LIMIT in api-key.rules.ts). */
export type KeyAllowance =
  { kind: 'admin'; accountId: number } | { kind: 'client'; clientId: number } | { kind: 'playground'; accountId: number };

/**
 * Refuses a key its allowance has no room for, counting the live keys that
 * draw on it. The caller holds the lock on the row that guards the allowance
 * (the account, or the client), so concurrent creations count one after another.
 */
export async function assertRoomFor(manager: EntityManager, allowance: KeyAllowance, now: number): Promise<void> {
  const query = whereLive(manager.getRepository(ApiKey).createQueryBuilder('key'), 'key', now);
  switch (allowance.kind) {
    case 'admin':
      query.andWhere('key.accountId = :accountId AND key.clientId IS NULL AND key.isPlayground = :playground', {
        accountId: allowance.accountId,
        playground: false,
      });
      break;
    case 'client':
      query.andWhere('key.clientId = :clientId', { clientId: allowance.clientId });
      break;
    case 'playground':
      query.andWhere('key.accountId = :accountId AND key.isPlayground = :playground', { accountId: allowance.accountId, playground: true });
  }
  const live = await query.getCount();
  const limit = allowance.kind === 'playground' ? PLAYGROUND_KEY_LIMIT : KEY_LIMIT;
  if (live < limit) return;
  throw new LimitExceededError(refusal(allowance.kind, limit), limit);
}

function refusal(kind: KeyAllowance['kind'], limit: number): string {
  switch (kind) {
    case 'admin':
      return `This account already has ${limit} keys (active and inactive); revoke or delete one first`;
    case 'client':
      return `This client already has ${limit} keys (active and inactive); revoke or delete one first`;
    case 'playground':
      return `This account already has ${limit} live playground keys; each stops counting when it expires, an hour after it was made, or revoke one`;
  }
}
