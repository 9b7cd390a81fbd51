import DataLoader from 'dataloader';
import { keysOfClientLoader } from '../api-keys/api-key.loaders';
import { ApiKey } from '../api-keys/api-key.entity';
import { Caller } from '../shared/caller';
import { Principal } from '../shared/principal';
import { Client } from '../clients/client.entity';
import { clientByIdLoader } from '../clients/client.loaders';
import { Services } from '../services/services';
import { RateLimitState } from '../rate-limits/rate-limit.service';
import { CreditsNow } from '../rate-limits/key-use.service';
import { GraphQLMediaType } from '../http/graphql-over-http';

export interface Loaders {
  clientById: DataLoader<number, Client | null>;
  keysOfClient: DataLoader<number, ApiKey[]>;
  /** A key's credits as they are counted now (KeyUseService.creditsNow), once per key and request for remaining and lastRefillAt. */
  creditsNow: DataLoader<ApiKey, CreditsNow | null>;
}

/** What every resolver receives. Built per request; the loaders never outlive it. */
export interface RequestContext {
  caller: Caller;
  services: Services;
  loaders: Loaders;
  /**
   * What the operation's charge left of the caller's pool (rateLimitHooks), for the answer's RateLimit-*
   * headers. An object the request keeps: Apollo runs each operation on a shallow copy of the context.
   */
  rateLimit: { state: RateLimitState | null; refused: boolean };
  /** What the answer goes out in, negotiated from Accept before Apollo ran (graphqlMediaType). */
  mediaType: GraphQLMediaType;
}

export function createRequestContext(services: Services, caller: Caller, mediaType: GraphQLMediaType): RequestContext {
  return {
    caller,
    services,
    loaders: createLoaders(services, caller.principal),
    rateLimit: { state: null, refused: false },
    mediaType,
  };
}

/** Each loader is made when a resolver first asks for it: most requests never touch one. */
export function createLoaders(services: Services, principal: Principal): Loaders {
  return new LazyLoaders(services, principal);
}

/** A class, not an object literal with getters: its accessors are shared, so making one per request costs one small object. */
class LazyLoaders implements Loaders {
  private clients?: Loaders['clientById'];
  private keys?: Loaders['keysOfClient'];
  private credits?: Loaders['creditsNow'];

  constructor(
    private readonly services: Services,
    private readonly principal: Principal,
  ) {}

  get clientById(): Loaders['clientById'] {
    return (this.clients ??= clientByIdLoader(this.services.clients, this.principal));
  }

  get keysOfClient(): Loaders['keysOfClient'] {
    return (this.keys ??= keysOfClientLoader(this.services.apiKeyQueries, this.principal));
  }

  get creditsNow(): Loaders['creditsNow'] {
    const { keyUses } = this.services;
    // Keyed by the row itself: a key read twice in one request is two rows, each counted when asked.
    return (this.credits ??= new DataLoader((keys: readonly ApiKey[]) => Promise.all(keys.map((key) => keyUses.creditsNow(key)))));
  }
}

/** After a mutation, rows the loaders cached may be stale: start afresh. */
export function clearLoaders(context: RequestContext): void {
  context.loaders = createLoaders(context.services, context.caller.principal);
}
