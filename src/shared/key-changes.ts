/**
 * What the services say after a transaction that changed how a key
 * authenticates has committed — never before, or a request in between could
 * cache the old row again. Calls return at once and never throw: the change is
 * already committed, and telling other instances is best effort (the cache's
 * TTL bounds what a lost message can cost).
 */
export interface KeyChangeNotifier {
  /** Keys stored under these hashes changed: pass every value the row had or has (current and previous). */
  keyChanged(...hashes: Array<string | null | undefined>): void;
  /** An account changed (Developer API flag, plan limit, name): all its keys are re-read. */
  accountChanged(accountId: number): void;
  /** A client changed (its name): its keys, which carry it into verifyApiKey's answers, are re-read. */
  clientChanged(clientId: number): void;
}
