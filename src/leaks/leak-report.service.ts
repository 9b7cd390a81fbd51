import { Account } from '../accounts/account.entity';
import { LeakResponse } from '../accounts/leak-response';
import { keyAuditEntry } from '../api-keys/api-key.audit';
import { ApiKey } from '../api-keys/api-key.entity';
import { keyEvent } from '../api-keys/api-key.events';
import { ApiKeyLifecycle, SystemActor, SystemChange } from '../api-keys/api-key-lifecycle.service';
import { parseKey } from '../api-keys/key-material';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { forUpdate } from '../db/locking';
import { Transactor } from '../db/transactions';
import { Caller } from '../shared/caller';
import { Clock } from '../shared/clock';
import { EventRecorder } from '../shared/events';
import { KeyChangeNotifier } from '../shared/key-changes';

/** Who reported a leak: the public endpoint, or GitHub's secret scanning. The audit log names it as the actor. */
export type LeakReporter = 'leak-report' | 'github-secret-scanning';

export interface LeakReport {
  /** The candidate, as it was found. */
  key: string;
  /** Where it was found, in the reporter's words (GitHub: the URL); null when not said. */
  source: string | null;
}

/** What keyward did with a reported live key: the audit event's and the webhook's `outcome`. */
export type LeakOutcome = 'DEACTIVATED' | 'ALREADY_INACTIVE' | 'REVOKED' | 'NOTIFIED' | 'PRIMARY_KEPT';

/** The longest source kept: the audit log and the revocation reason hold it. */
export const MAX_SOURCE_LENGTH = 500;

/**
 * Leak reports: anyone who finds a key may report it (as with GitHub's public
 * revocation API), so what the reporter learns is nothing: the adapters answer
 * every report the same, and `report` says whether the key was live only so
 * GitHub's scanner can be told true or false positive.
 *
 * A candidate whose checksum does not hold is no key of ours and costs no
 * database read. A live one (active, inactive or expired; or the previous
 * value of a key reset with a grace period that is still running) gets its
 * account's leakResponse through the lifecycle's own changes, then, in the
 * same transaction, an API_KEY_LEAK_REPORTED audit event and an
 * api_key.leak_reported event; the key leaves the caches once that commits.
 * The primary admin key is never switched off or revoked (the rule of every
 * other path): its report is audited and sent, and its owner must reset it.
 */
export class LeakReports {
  constructor(
    private readonly transactor: Transactor,
    private readonly lifecycle: ApiKeyLifecycle,
    private readonly audit: AuditService,
    private readonly events: EventRecorder,
    private readonly keyChanges: KeyChangeNotifier,
    private readonly clock: Clock,
  ) {}

  /** Handles one report; true when it named a live key of ours. `caller`: the request, for the audit log's address. */
  async report(report: LeakReport, reporter: LeakReporter, caller: Caller): Promise<boolean> {
    const parsed = parseKey(report.key.trim());
    if (!parsed.ok) return false;
    const source = report.source === null ? null : report.source.slice(0, MAX_SOURCE_LENGTH);
    const by: SystemActor = { caller, actor: reporter };
    const handled = await this.transactor.run(async (manager) => {
      const key = await forUpdate(manager, manager.getRepository(ApiKey).createQueryBuilder('key'))
        .where('key.keyHash = :hash', { hash: parsed.hash })
        .orWhere('key.previousKeyHash = :hash AND key.previousKeyExpiresAt > :now', { hash: parsed.hash, now: new Date(this.clock.now()) })
        .getOne();
      if (!key) return null;
      const matched = key.keyHash === parsed.hash ? 'current' : 'previous';
      const { leakResponse } = await manager.getRepository(Account).findOneByOrFail({ id: key.accountId });
      const outcome = await this.respond(leakResponse, () =>
        leakResponse === LeakResponse.REVOKE
          ? this.lifecycle.revokeLocked(manager, by, key, `Reported leaked${source ? `: ${source}` : ''}`)
          : this.lifecycle.deactivateLocked(manager, by, key),
      );
      const details = { source, reporter, leakResponse, outcome, matched };
      await this.audit.record(manager, caller, keyAuditEntry(key, AuditAction.API_KEY_LEAK_REPORTED, details), reporter);
      await this.events.record(manager, keyEvent('api_key.leak_reported', key, details));
      return { key, changed: outcome === 'DEACTIVATED' || outcome === 'REVOKED' };
    });
    if (!handled) return false;
    if (handled.changed) this.keyChanges.keyChanged(handled.key.keyHash, handled.key.previousKeyHash);
    return true;
  }

  private async respond(leakResponse: LeakResponse, change: () => Promise<SystemChange>): Promise<LeakOutcome> {
    if (leakResponse === LeakResponse.NOTIFY) return 'NOTIFIED';
    const result = await change();
    if (result === 'primary') return 'PRIMARY_KEPT';
    if (result === 'unchanged') return 'ALREADY_INACTIVE';
    return leakResponse === LeakResponse.REVOKE ? 'REVOKED' : 'DEACTIVATED';
  }
}
