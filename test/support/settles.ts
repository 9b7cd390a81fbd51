import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Reads until the answer is `expected`, and returns the last answer: for
 * work that lands a little after the request that caused it, in another
 * process or on a timer (a write-behind flush, another instance dropping a
 * cached key). Never for a time rule: those move with the server's clock.
 */
export async function settles<T>(read: () => Promise<T>, expected: T, { timeoutMs = 5_000, everyMs = 100 } = {}): Promise<T> {
  const started = Date.now();
  let seen = await read();
  while (seen !== expected && Date.now() - started < timeoutMs) {
    await sleep(everyMs);
    seen = await read();
  }
  return seen;
}
