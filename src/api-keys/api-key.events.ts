import { ApiKeyKind } from '../shared/api-key-kind';
import { DomainEvent, EventType } from '../shared/events';

/** What of a key (live or revoked) an event names: never its secret or hash. */
export interface KeyReference {
  id: number;
  accountId: number;
  clientId: number | null;
  kind: ApiKeyKind;
  name: string;
  prefix: string;
}

/** An event about a key: `data.key` names it by id and prefix (ids as strings, like the API's); `extra` says what happened. */
export function keyEvent(type: EventType, key: KeyReference, extra: Record<string, unknown> = {}): DomainEvent {
  return {
    accountId: key.accountId,
    type,
    data: {
      key: {
        id: String(key.id),
        prefix: key.prefix,
        name: key.name,
        kind: key.kind,
        accountId: String(key.accountId),
        clientId: key.clientId === null ? null : String(key.clientId),
      },
      ...extra,
    },
  };
}
