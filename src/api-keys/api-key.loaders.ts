import DataLoader from 'dataloader';
import { requireAccountPrincipal, Principal } from '../shared/principal';
import { ApiKeyQueries } from './api-key-query.service';
import { ApiKey } from './api-key.entity';

/**
 * Client.apiKeys: every listed client's keys in one query. A plain list, not
 * a connection: a client holds at most KEY_LIMIT live keys.
 */
export function keysOfClientLoader(queries: ApiKeyQueries, principal: Principal): DataLoader<number, ApiKey[]> {
  return new DataLoader(async (clientIds) => {
    const byClient = await queries.keysOfClients(requireAccountPrincipal(principal), clientIds);
    return clientIds.map((id) => byClient.get(id) ?? []);
  });
}
