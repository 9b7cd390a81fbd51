import { DataSource, SelectQueryBuilder } from 'typeorm';
import { Caller } from '../shared/caller';
import { BadUserInputError } from '../shared/errors';
import { inTenantScope } from '../shared/tenant-scope';
import { requireAccountPrincipal } from '../shared/principal';
import { UsageCount } from './usage-count.entity';
import { USAGE_OUTCOMES, UsageKey, UsageOutcome } from './usage-outcome';
import { DAY_MS, HOUR_MS } from './usage.recorder';
import { bucketStartColumn } from './usage.statements';
import { MAX_USAGE_BUCKETS, UsageArgs, UsageBucket, UsageInterval } from './usage.types';

const INTERVAL_MS: Readonly<Record<UsageInterval, number>> = Object.freeze({ [UsageInterval.HOUR]: HOUR_MS, [UsageInterval.DAY]: DAY_MS });

/** A range checked against the rules, its start moved back to its first bucket's. */
interface UsageRange {
  from: number;
  to: number;
  intervalMs: number;
}

/**
 * The usage counts of a key, an account or a client over a time range, hour
 * by hour or day by day, always within the caller's scope (a client key sees
 * its own client's counts only, whatever it asks for).
 *
 * Counts are written behind (see UsageRecorder): those of the last flush
 * interval, on every instance, are not in the database yet. Flushing before
 * answering would only catch up this instance's share and turn each read
 * into a write, so the answer says it lags instead.
 */
export class UsageQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: { retentionDays: number },
  ) {}

  forKey(caller: Caller, key: UsageKey, args: UsageArgs): Promise<UsageBucket[]> {
    return this.sum(caller, args, (query) => query.andWhere('usage.keyId = :keyId', { keyId: key.id }));
  }

  forAccount(caller: Caller, account: { id: number }, args: UsageArgs): Promise<UsageBucket[]> {
    return this.sum(caller, args, (query) => query.andWhere('usage.accountId = :accountId', { accountId: account.id }));
  }

  forClient(caller: Caller, client: { id: number; accountId: number }, args: UsageArgs): Promise<UsageBucket[]> {
    return this.sum(caller, args, (query) =>
      query.andWhere('usage.accountId = :accountId AND usage.clientId = :clientId', { accountId: client.accountId, clientId: client.id }),
    );
  }

  private async sum(
    caller: Caller,
    args: UsageArgs,
    narrow: (query: SelectQueryBuilder<UsageCount>) => SelectQueryBuilder<UsageCount>,
  ): Promise<UsageBucket[]> {
    const range = this.checkRange(args);
    const repository = this.dataSource.getRepository(UsageCount);
    // The operator reads any account's counts; everyone else only within their own scope.
    const query =
      caller.principal.kind === 'operator'
        ? repository.createQueryBuilder('usage').where('1 = 1')
        : inTenantScope(repository, 'usage', requireAccountPrincipal(caller.principal));
    const column = bucketStartColumn(this.dataSource);
    const { driver } = this.dataSource;
    narrow(query)
      .andWhere('usage.bucketStart >= :from AND usage.bucketStart < :to', {
        from: driver.preparePersistentValue(new Date(range.from), column),
        to: driver.preparePersistentValue(new Date(range.to), column),
      })
      .select('usage.bucketStart', 'start')
      .addSelect('usage.outcome', 'outcome')
      .addSelect('SUM(usage.count)', 'count')
      .groupBy('usage.bucketStart')
      .addGroupBy('usage.outcome');
    const rows = await query.getRawMany<{ start: unknown; outcome: UsageOutcome; count: number | string }>();
    const buckets = new Map<string, UsageBucket>();
    for (const row of rows) {
      const hour = (driver.prepareHydratedValue(row.start, column) as Date).getTime();
      const start = hour - (hour % range.intervalMs);
      const name = `${start} ${row.outcome}`;
      const bucket = buckets.get(name);
      if (bucket) bucket.count += Number(row.count);
      else buckets.set(name, { start: new Date(start), outcome: row.outcome, count: Number(row.count) });
    }
    return [...buckets.values()].sort(
      (a, b) => a.start.getTime() - b.start.getTime() || USAGE_OUTCOMES.indexOf(a.outcome) - USAGE_OUTCOMES.indexOf(b.outcome),
    );
  }

  /** Refused ranges name the argument to change. */
  private checkRange(args: UsageArgs): UsageRange {
    const interval = args.interval ?? UsageInterval.HOUR;
    const intervalMs = INTERVAL_MS[interval];
    const from = args.from.getTime();
    const to = args.to.getTime();
    if (!Number.isFinite(from)) throw new BadUserInputError('from', '`from` is not a valid date-time');
    if (!Number.isFinite(to)) throw new BadUserInputError('to', '`to` is not a valid date-time');
    if (to <= from)
      throw new BadUserInputError('to', `\`to\` (${args.to.toISOString()}) must be after \`from\` (${args.from.toISOString()})`);
    const { retentionDays } = this.settings;
    if (to - from > retentionDays * DAY_MS) {
      throw new BadUserInputError(
        'from',
        `The range may span at most ${retentionDays} days (USAGE_RETENTION_DAYS): counts are kept no longer; move \`from\` closer to \`to\``,
      );
    }
    const first = from - (from % intervalMs);
    const buckets = Math.ceil((to - first) / intervalMs);
    if (buckets > MAX_USAGE_BUCKETS) {
      throw new BadUserInputError(
        'interval',
        `The range holds ${buckets} ${interval === UsageInterval.DAY ? 'daily' : 'hourly'} buckets; at most ${MAX_USAGE_BUCKETS}: ask for interval DAY or a shorter range`,
      );
    }
    return { from: first, to, intervalMs };
  }
}
