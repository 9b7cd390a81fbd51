import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyKind } from '../shared/api-key-kind';
import { Auth, Public } from '../shared/auth.decorators';
import { Principal } from '../shared/principal';
import { Client } from '../clients/client.entity';
import { RequestContext } from './context';
import { withImplied } from '../shared/permission';
import { poolOfPrincipal } from '../rate-limits/rate-limit-pool';
import { RateLimit } from '../rate-limits/rate-limit.type';
import { PrincipalKind, Viewer } from './viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { nullable: true, description: 'Who is calling. Public: anonymous callers see ANONYMOUS.' })
  @Public()
  viewer(@Ctx() ctx: RequestContext): Viewer {
    let viewer = viewers.get(ctx.caller.principal);
    if (!viewer) {
      viewer = Object.freeze(viewerOf(ctx.caller.principal));
      viewers.set(ctx.caller.principal, viewer);
    }
    return viewer;
  }

  @FieldResolver(() => Account, { nullable: true, description: "The caller's account; null for the operator." })
  @Auth()
  account(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<Account> | null {
    return viewer.accountId === null ? null : ctx.services.accounts.own(ctx.caller);
  }

  @FieldResolver(() => Client, { nullable: true, description: 'The client a client key acts for.' })
  @Auth()
  client(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return viewer.clientId === null ? null : ctx.loaders.clientById.load(viewer.clientId);
  }

  @FieldResolver(() => ApiKey, { nullable: true, description: 'The key making this request.' })
  @Auth()
  apiKey(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<ApiKey | null> | null {
    return viewer.keyId === null ? null : ctx.services.apiKeyQueries.get(ctx.caller, String(viewer.keyId));
  }

  @FieldResolver(() => RateLimit, {
    nullable: true,
    description:
      "The pool the caller draws from, this request's charge included: the account's (admin keys), the client's " +
      "(client keys) or the user's own. Null for callers without one (anonymous, the operator).",
  })
  @Public()
  async rateLimit(@Ctx() ctx: RequestContext): Promise<RateLimit | null> {
    const pool = poolOfPrincipal(ctx.caller.principal);
    return pool ? ctx.services.rateLimits.peek(pool) : null;
  }
}

/** A cached key's principal serves request after request (see Authenticator): so does what it looks like. */
const viewers = new WeakMap<Principal, Viewer>();

function viewerOf(principal: Principal): Viewer {
  const base = {
    prefix: null,
    subject: null,
    permissions: [],
    accountId: null,
    clientId: null,
    keyId: null,
    usingPreviousKeyValue: false,
    previousKeyExpiresAt: null,
  };
  switch (principal.kind) {
    case 'anonymous':
      return { ...base, principal: PrincipalKind.ANONYMOUS };
    case 'operator':
      return { ...base, principal: PrincipalKind.OPERATOR };
    case 'api-key':
      return {
        principal: principal.keyKind === ApiKeyKind.ADMIN ? PrincipalKind.ADMIN_KEY : PrincipalKind.CLIENT_KEY,
        prefix: principal.prefix,
        subject: null,
        permissions: withImplied(principal.permissions),
        accountId: principal.accountId,
        clientId: principal.clientId,
        keyId: principal.keyId,
        usingPreviousKeyValue: principal.previousValueExpiresAt !== undefined,
        previousKeyExpiresAt: principal.previousValueExpiresAt ?? null,
      };
    case 'user':
      return {
        ...base,
        principal: PrincipalKind.USER,
        subject: principal.sub,
        permissions: withImplied(principal.permissions),
        accountId: principal.accountId,
      };
  }
}
