import { dataOf, graphql, GraphQLResponse } from '../support/graphql';
import { TestServer } from '../support/server';
import { userToken } from '../support/user-tokens';

/** A test server, the file's (useTestServer) or one a test starts itself. */
type Target = Pick<TestServer, 'url' | 'clock' | 'server' | 'operatorToken'>;

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Flushes only when a test says so: the timer never writes in the middle of a count. */
export const USAGE_TEST_CONFIG = { lastUsedFlushMs: 3_600_000 } as const;

export interface Bucket {
  start: string;
  outcome: string;
  count: number;
}

export interface UsageRange {
  from: number;
  to: number;
  interval?: 'HOUR' | 'DAY';
}

const BUCKETS = 'start outcome count';

/** A developer of the account: reads usage without being counted (a user token is no key). */
export function developerOf(accountId: string): Promise<string> {
  return userToken({ sub: `dev-${accountId}@example.com`, account_id: accountId, roles: ['developer'] });
}

function rangeVariables(range: UsageRange) {
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), interval: range.interval ?? 'HOUR' };
}

const ARGS = 'from: $from, to: $to, interval: $interval';
const VARS = '$from: DateTimeISO!, $to: DateTimeISO!, $interval: UsageInterval!';

export function keyUsageCall(t: Target, as: string, keyId: string, range: UsageRange): Promise<GraphQLResponse> {
  return graphql(t.url, {
    as,
    query: `query($id: ID!, ${VARS}) { apiKey(id: $id) { usage(${ARGS}) { ${BUCKETS} } } }`,
    variables: { id: keyId, ...rangeVariables(range) },
  });
}

export async function keyUsage(t: Target, as: string, keyId: string, range: UsageRange): Promise<Bucket[]> {
  return dataOf(await keyUsageCall(t, as, keyId, range)).apiKey.usage;
}

export async function accountUsage(t: Target, as: string, range: UsageRange): Promise<Bucket[]> {
  const res = await graphql(t.url, {
    as,
    query: `query(${VARS}) { account { usage(${ARGS}) { ${BUCKETS} } } }`,
    variables: rangeVariables(range),
  });
  return dataOf(res).account.usage;
}

export async function clientUsage(t: Target, as: string, clientId: string, range: UsageRange): Promise<Bucket[] | null> {
  const res = await graphql(t.url, {
    as,
    query: `query($id: ID!, ${VARS}) { client(id: $id) { usage(${ARGS}) { ${BUCKETS} } } }`,
    variables: { id: clientId, ...rangeVariables(range) },
  });
  return dataOf(res).client?.usage ?? null;
}

/** Counts by outcome, summed over the buckets. */
export function byOutcome(buckets: Bucket[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const bucket of buckets) counts[bucket.outcome] = (counts[bucket.outcome] ?? 0) + bucket.count;
  return counts;
}

/** The hours around the server's now: where the counts of a test that does not move the clock land (even across an hour's end). */
export function thisHour(t: Target): UsageRange {
  const now = t.clock.now();
  return { from: now - HOUR, to: now + HOUR };
}

export function flushUsage(t: Target): Promise<void> {
  return t.server.services.usage.flush();
}

/** verifyApiKey as `as`; the answer's code. */
export async function verifyCode(t: Target, as: string, key: string): Promise<string> {
  const res = await graphql(t.url, { as, query: 'query($key: String!) { verifyApiKey(key: $key) { code } }', variables: { key } });
  return dataOf(res).verifyApiKey.code;
}

/** One GraphQL request made with the key; its HTTP status. */
export async function requestWith(t: Target, key: string): Promise<number> {
  return (await graphql(t.url, { as: key, query: '{ viewer { prefix } }' })).status;
}

export async function operatorData(t: Target, query: string, variables: Record<string, unknown> = {}) {
  return dataOf(await graphql(t.url, { as: t.operatorToken, query, variables }));
}
