import { DomainEvent, EventType } from '../shared/events';
import { Client } from './client.entity';

/** An event about a client: `data.client` names it (ids as strings, like the API's); `extra` says what happened. */
export function clientEvent(type: EventType, client: Client, extra: Record<string, unknown> = {}): DomainEvent {
  return {
    accountId: client.accountId,
    type,
    data: {
      client: { id: String(client.id), name: client.name, externalId: client.externalId ?? null, accountId: String(client.accountId) },
      ...extra,
    },
  };
}
