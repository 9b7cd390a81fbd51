import { dataOf, graphql } from '../support/graphql';
import { SeedTarget } from '../support/seed';

/** The operator sets an account's plan limit, as a real operator would. */
export async function setRateLimit(server: SeedTarget, accountId: string, rateLimitPerMinute: number): Promise<void> {
  dataOf(
    await graphql(server.url, {
      as: server.operatorToken,
      query: 'mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id } }',
      variables: { id: accountId, input: { rateLimitPerMinute } },
    }),
  );
}

export interface RateLimitHeaders {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
  retryAfter: number | null;
}

/** The RateLimit-* and Retry-After headers of a response, as numbers (null when absent). */
export function rateLimitHeaders(headers: Headers): RateLimitHeaders {
  const number = (name: string) => (headers.has(name) ? Number(headers.get(name)) : null);
  return {
    limit: number('ratelimit-limit'),
    remaining: number('ratelimit-remaining'),
    reset: number('ratelimit-reset'),
    retryAfter: number('retry-after'),
  };
}

/** `{ a0: viewer { principal } a1: … }`: one operation with `count` aliased root fields. */
export function aliasedViewers(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: viewer { principal }`).join(' ')} }`;
}
