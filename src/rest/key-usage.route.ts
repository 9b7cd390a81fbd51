import { ApiKeyKind } from '../shared/api-key-kind';
import { Caller } from '../shared/caller';
import { BadUserInputError, NotFoundError } from '../shared/errors';
import { Permission } from '../shared/permission';
import { Services } from '../services/services';
import { UsageInterval } from '../usage/usage.types';
import { CLIENT_API_KEY_PATH } from './client-api-key.routes';
import { needs, RestAnswer, RestInput, RestRoute } from './rest.route';
import { queryValue } from './rest.input';

export const KEY_USAGE_PATH = `${CLIENT_API_KEY_PATH}/usage/:id`;

const INTERVALS: Record<string, UsageInterval> = { hour: UsageInterval.HOUR, day: UsageInterval.DAY };

/** ApiKey.usage's twin for a client key: its counts by outcome, per hour or day, from `from` to `to`. */
export const KEY_USAGE_ROUTE: RestRoute = {
  method: 'get',
  path: KEY_USAGE_PATH,
  requirement: needs(Permission.KEYS_READ),
  queryParameters: ['from', 'to', 'interval'],
  handle: usage,
};

async function usage(services: Services, caller: Caller, req: RestInput): Promise<RestAnswer> {
  const interval = queryValue(req.query, 'interval') ?? 'hour';
  if (!Object.hasOwn(INTERVALS, interval)) throw new BadUserInputError('interval', 'interval must be hour or day');
  const args = { from: requiredDate(req, 'from'), to: requiredDate(req, 'to'), interval: INTERVALS[interval] };
  const raw = String(req.params.id);
  // Like the other client-key routes: an admin key's id is as unknown here as another account's.
  const key = await services.apiKeyQueries.get(caller, raw);
  if (key?.kind !== ApiKeyKind.CLIENT) throw new NotFoundError('Client API key', raw);
  const buckets = await services.usageQueries.forKey(caller, key, args);
  return {
    status: 200,
    body: {
      ok: true,
      data: buckets.map((bucket) => ({ start: bucket.start.toISOString(), outcome: bucket.outcome, count: bucket.count })),
    },
  };
}

function requiredDate(req: RestInput, name: 'from' | 'to'): Date {
  const value = queryValue(req.query, name);
  if (value === undefined) throw new BadUserInputError(name, `${name} is required: an ISO 8601 date-time`);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadUserInputError(name, `${name} must be an ISO 8601 date-time`);
  return date;
}
