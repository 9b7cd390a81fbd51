import { ArgsType, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../shared/auth.decorators';
import { UsageOutcome } from './usage-outcome';

export enum UsageInterval {
  HOUR = 'HOUR',
  DAY = 'DAY',
}

registerEnumType(UsageInterval, {
  name: 'UsageInterval',
  description: 'How usage counts are bucketed.',
  valuesConfig: {
    HOUR: { description: 'One bucket per hour, starting on the hour (UTC).' },
    DAY: { description: 'One bucket per day, starting at 00:00 UTC.' },
  },
});

/** Buckets one answer may hold: 83 days of hours; longer ranges ask for DAY. */
export const MAX_USAGE_BUCKETS = 2_000;

@ArgsType()
export class UsageArgs {
  @Field({ description: 'The range starts with the bucket holding this instant.' })
  from: Date;

  @Field({ description: 'The range ends before this instant (exclusive): after `from`, at most USAGE_RETENTION_DAYS later.' })
  to: Date;

  @Field(() => UsageInterval, {
    nullable: true,
    defaultValue: UsageInterval.HOUR,
    description: `At most ${MAX_USAGE_BUCKETS.toLocaleString('en')} buckets per answer: a range longer than 83 days needs DAY.`,
  })
  interval?: UsageInterval | null;
}

@ObjectType({
  description:
    'How many uses ended with one outcome in one hour or day: verifications of the key and requests made with it. ' +
    'Buckets with no uses are left out.',
  simpleResolvers: true,
})
// Public fields: only reachable through the usage fields, which already checked the caller.
@Public()
export class UsageBucket {
  @Field({ description: 'The first instant of the hour or day (UTC).' })
  start: Date;

  @Field(() => UsageOutcome)
  outcome: UsageOutcome;

  @Field(() => Int)
  count: number;
}

/** What each usage field says of itself: the same for a key, an account and a client. */
export function usageDescription(whose: string): string {
  return (
    `${whose} uses (verifications and requests made with keys) by outcome, per hour or per day (UTC), from \`from\` to \`to\`, ` +
    'oldest first; buckets with no uses are left out. Counts are written behind: the last few seconds ' +
    '(LAST_USED_FLUSH_SECONDS, 5 by default) may not be counted yet. Kept USAGE_RETENTION_DAYS (90 by default).'
  );
}
