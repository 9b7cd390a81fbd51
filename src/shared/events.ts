import { EntityManager } from 'typeorm';

/**
 * The events keyward tells the platform about (webhooks). Payloads name keys
 * by id and prefix, never by secret or hash.
 */
export type EventType =
  | 'api_key.created'
  | 'api_key.updated'
  | 'api_key.reset'
  | 'api_key.deactivated'
  | 'api_key.activated'
  | 'api_key.revoked'
  | 'api_key.deleted'
  | 'api_key.expiring'
  | 'api_key.expired'
  | 'api_key.leak_reported'
  | 'api_key.usage_exhausted'
  | 'client.created'
  | 'client.updated';

export interface DomainEvent {
  accountId: number;
  type: EventType;
  /** JSON-serialisable; becomes the webhook body's `data`. */
  data: Record<string, unknown>;
}

/**
 * Where services put the events their changes cause. `record` writes in the
 * caller's transaction (the outbox), so an event exists exactly when the
 * change it reports committed; delivery happens later, elsewhere.
 */
export interface EventRecorder {
  record(manager: EntityManager, event: DomainEvent): Promise<void>;
}
