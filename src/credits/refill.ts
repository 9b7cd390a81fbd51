import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../shared/auth.decorators';

export enum RefillInterval {
  DAILY = 'DAILY',
  MONTHLY = 'MONTHLY',
}

registerEnumType(RefillInterval, {
  name: 'RefillInterval',
  description: "When a key's usage credits are set back to the refill's amount.",
  valuesConfig: {
    DAILY: { description: 'Every day at 00:00 UTC.' },
    MONTHLY: {
      description: "Every month at 00:00 UTC on the day of the month the key was created (the month's last day in shorter months).",
    },
  },
});

/** The largest credit balance a key may hold: far beyond any real plan, safely inside a 32-bit column. */
export const MAX_CREDITS = 1_000_000_000;

@ObjectType({ description: "A key's refill: `remaining` is set back to `amount` at the start of every interval.", simpleResolvers: true })
// Public fields: only reachable through ApiKey.refill, which checked the caller.
@Public()
export class Refill {
  @Field(() => Int, { description: 'What remaining is set to at each refill (not added to it).' })
  amount: number;

  @Field(() => RefillInterval)
  interval: RefillInterval;
}

@InputType({ description: "A key's refill: remaining is set back to amount at the start of every interval." })
export class RefillInput {
  @Field(() => Int, { description: `What remaining is set to at each refill: 1 to ${MAX_CREDITS}.` })
  amount: number;

  @Field(() => RefillInterval)
  interval: RefillInterval;
}

const DAY_MS = 86_400_000;

/**
 * When the refill period that contains `nowMs` began (epoch ms): the last
 * 00:00 UTC for DAILY; for MONTHLY the last 00:00 UTC of the key's creation
 * day of the month, that day clamped to the month's length (a key made on
 * the 31st refills on 30 April and 28 or 29 February).
 */
export function refillPeriodStart(interval: RefillInterval, createdAtMs: number, nowMs: number): number {
  if (interval === RefillInterval.DAILY) return Math.floor(nowMs / DAY_MS) * DAY_MS;
  const now = new Date(nowMs);
  const thisMonth = monthlyRefillIn(now.getUTCFullYear(), now.getUTCMonth(), createdAtMs);
  return thisMonth <= nowMs ? thisMonth : monthlyRefillIn(now.getUTCFullYear(), now.getUTCMonth() - 1, createdAtMs);
}

/** When the next refill after `nowMs` is due (epoch ms). */
export function nextRefillAt(interval: RefillInterval, createdAtMs: number, nowMs: number): number {
  const start = refillPeriodStart(interval, createdAtMs, nowMs);
  if (interval === RefillInterval.DAILY) return start + DAY_MS;
  const began = new Date(start);
  return monthlyRefillIn(began.getUTCFullYear(), began.getUTCMonth() + 1, createdAtMs);
}

/** 00:00 UTC on the creation day of the given month (month may be out of 0..11: Date.UTC carries it). */
function monthlyRefillIn(year: number, month: number, createdAtMs: number): number {
  const first = new Date(Date.UTC(year, month, 1));
  const daysInMonth = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const day = Math.min(new Date(createdAtMs).getUTCDate(), daysInMonth);
  return Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), day);
}
