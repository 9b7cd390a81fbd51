import { registerEnumType } from 'type-graphql';
import { EventType } from '../shared/events';

/**
 * The events a webhook endpoint can subscribe to: the GraphQL names
 * (API_KEY_CREATED) of the dotted types in src/shared/events.ts, which are
 * what is stored and what a delivery's body says (`api_key.created`).
 */
export enum WebhookEventType {
  API_KEY_CREATED = 'api_key.created',
  API_KEY_UPDATED = 'api_key.updated',
  API_KEY_RESET = 'api_key.reset',
  API_KEY_DEACTIVATED = 'api_key.deactivated',
  API_KEY_ACTIVATED = 'api_key.activated',
  API_KEY_REVOKED = 'api_key.revoked',
  API_KEY_DELETED = 'api_key.deleted',
  API_KEY_EXPIRING = 'api_key.expiring',
  API_KEY_EXPIRED = 'api_key.expired',
  API_KEY_LEAK_REPORTED = 'api_key.leak_reported',
  API_KEY_USAGE_EXHAUSTED = 'api_key.usage_exhausted',
  CLIENT_CREATED = 'client.created',
  CLIENT_UPDATED = 'client.updated',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An event a webhook endpoint can receive; a delivery names it in dotted form (API_KEY_CREATED: api_key.created).',
});

// Both lists are one set: a type added to one and not the other fails to compile here.
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SAME_SET: SameSet<EventType, `${WebhookEventType}`> = true;
void SAME_SET;

const BY_VALUE = new Map<string, WebhookEventType>(Object.values(WebhookEventType).map((type) => [type, type]));

export function parseWebhookEventType(value: string): WebhookEventType | undefined {
  return BY_VALUE.get(value);
}
