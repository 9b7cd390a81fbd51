import { isUniqueViolation } from '../db/unique-violation';

const PREFIX_INDEX = { name: 'uq_api_keys_prefix', sqliteColumn: 'api_keys.prefix' };
const PREFIX_ATTEMPTS = 5;

/**
 * Prefixes are random, and MySQL's default collation compares them without
 * case, so at a million keys a clash is a real possibility: draw again rather
 * than fail. A failed INSERT/UPDATE undoes only itself, so the transaction
 * goes on.
 */
export async function withFreshPrefix<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= PREFIX_ATTEMPTS || !isUniqueViolation(error, PREFIX_INDEX)) throw error;
    }
  }
}
