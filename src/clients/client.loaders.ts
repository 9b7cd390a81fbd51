import DataLoader from 'dataloader';
import { requireAccountPrincipal, Principal } from '../shared/principal';
import { Client } from './client.entity';
import { ClientService } from './client.service';

/** ApiKey.client and RevokedKey.client: one query per page, whatever its size. */
export function clientByIdLoader(clients: ClientService, principal: Principal): DataLoader<number, Client | null> {
  return new DataLoader(async (ids) => {
    const found = await clients.byIds(requireAccountPrincipal(principal), ids);
    return ids.map((id) => found.get(id) ?? null);
  });
}
