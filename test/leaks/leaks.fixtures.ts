import { checksum } from '../../src/api-keys/key-material';
import { AUDIT, AuditNode, GET } from '../api-keys/lifecycle.fixtures';
import { rest, RestResponse } from '../rest/rest-client';
import { dataOf } from '../support/graphql';
import { TestServerFixture } from '../support/harness';
import { DELIVERIES } from '../webhooks/webhooks.fixtures';

export const REPORT_PATH = '/v1/keys/report-leak';

export const SET_LEAK_RESPONSE = `mutation($leakResponse: LeakResponse) {
  updateAccountSettings(input: { leakResponse: $leakResponse }) { id leakResponse }
}`;

/** A leak report, with no credential, from `from` (an X-Forwarded-For address, for a server with TRUST_PROXY). */
export function reportLeak(t: { url: string }, body: unknown, from?: string): Promise<RestResponse> {
  return rest(t.url, { method: 'POST', path: REPORT_PATH, body, headers: from ? { 'x-forwarded-for': from } : {} });
}

/** The same key with its last character changed: the format holds, the checksum does not. */
export function brokenChecksum(key: string): string {
  const last = key.at(-1) === 'A' ? 'B' : 'A';
  return key.slice(0, -1) + last;
}

/** A string in the key format whose checksum holds, made here from the documented layout (not by the server's generator). */
export function checksummed(body: string): string {
  return body + checksum(body);
}

/** What of an answer must not differ between reports: status, body, and the headers a client could read a difference from. */
export function visible(res: RestResponse) {
  // What differs from one answer to the next: the date, and the pool's count (RateLimit carries it too, as r and t).
  const changing = ['date', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit'];
  const names = [...res.headers.keys()].filter((name) => !changing.includes(name));
  return {
    status: res.status,
    body: res.body,
    headers: Object.fromEntries(names.sort().map((name) => [name, res.headers.get(name)])),
  };
}

export function leakHelpers(t: TestServerFixture) {
  const admin = () => t.account.primary.secret;

  async function trail(id: string): Promise<AuditNode[]> {
    return dataOf(await t.call(admin(), AUDIT, { filter: { targetId: id, targetType: 'API_KEY' } })).auditEvents.edges.map(
      (edge: { node: AuditNode }) => edge.node,
    );
  }

  async function status(id: string): Promise<string | null> {
    return dataOf(await t.call(admin(), GET, { id })).apiKey?.status ?? null;
  }

  /** The outbox's deliveries of api_key.leak_reported to the endpoint, newest first. */
  async function leakDeliveries(endpointId: string) {
    const { webhookDeliveries } = await t.data(admin(), DELIVERIES, { id: endpointId, filter: { eventType: 'API_KEY_LEAK_REPORTED' } });
    return webhookDeliveries.edges.map((edge: { node: unknown }) => edge.node);
  }

  const setLeakResponse = (leakResponse: string) => t.data(admin(), SET_LEAK_RESPONSE, { leakResponse });

  return { admin, trail, status, leakDeliveries, setLeakResponse };
}
