import { KeyChangeNotifier } from '../shared/key-changes';
import { KeyChangeChannel } from './redis-key-changes';
import { VerificationCache } from './verification-cache';

/** Drops changed keys from this instance's cache at once, and from every other instance's through Redis. */
export class KeyCacheInvalidator implements KeyChangeNotifier {
  constructor(
    private readonly cache: VerificationCache,
    private readonly channel: KeyChangeChannel | null = null,
  ) {}

  keyChanged(...hashes: Array<string | null | undefined>): void {
    const changed = hashes.filter((hash): hash is string => typeof hash === 'string' && hash !== '');
    if (changed.length === 0) return;
    this.cache.drop(changed);
    this.channel?.publish({ hashes: changed });
  }

  accountChanged(accountId: number): void {
    this.cache.dropAccount(accountId);
    this.channel?.publish({ accountId });
  }

  clientChanged(clientId: number): void {
    this.cache.dropClient(clientId);
    this.channel?.publish({ clientId });
  }
}
