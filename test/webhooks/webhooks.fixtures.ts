import { Receiver } from './receiver';

export const ALL_EVENTS = [
  'API_KEY_CREATED',
  'API_KEY_UPDATED',
  'API_KEY_RESET',
  'API_KEY_DEACTIVATED',
  'API_KEY_ACTIVATED',
  'API_KEY_REVOKED',
  'API_KEY_DELETED',
  'API_KEY_EXPIRING',
  'API_KEY_EXPIRED',
  'API_KEY_LEAK_REPORTED',
  'API_KEY_USAGE_EXHAUSTED',
  'CLIENT_CREATED',
  'CLIENT_UPDATED',
];

export const ENDPOINT_FIELDS = 'id url events description status previousSecretExpiresAt createdAt updatedAt';

export const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } }
}`;

export const DELIVERIES = `query($id: ID!, $filter: WebhookDeliveryFilter) {
  webhookDeliveries(endpointId: $id, filter: $filter) {
    totalCount
    edges { node { id endpointId eventId eventType status attempts nextAttemptAt lastResponseCode lastAttemptAt lastError createdAt } }
  }
}`;

/** Settings for a server whose dispatcher delivers to a local receiver and looks for due retries every 20 ms. */
export const WEBHOOK_CONFIG = { webhookAllowPrivateUrls: true, webhookPollMs: 20 };

type Data = <T = any>(as: string | undefined, query: string, variables?: Record<string, unknown>) => Promise<T>;

/** An endpoint of the caller's account for `events` (default: every one), delivering to `receiver`. */
export async function createEndpoint(
  data: Data,
  as: string,
  receiver: Receiver,
  events: string[] = ALL_EVENTS,
): Promise<{ id: string; secret: string; endpoint: any }> {
  const { createWebhookEndpoint } = await data(as, CREATE_ENDPOINT, { input: { url: receiver.url, events, description: 'test receiver' } });
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret, endpoint: createWebhookEndpoint.endpoint };
}
