import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyKind } from '../api-keys/api-key-kind';
import { Auth, Public } from '../auth/auth.decorators';
import { Principal } from '../auth/principal';
import { Client } from '../clients/client.entity';
import { RequestContext } from '../graphql/context';
import { normalizePermissions } from '../permissions/permission';
import { PrincipalKind, Viewer } from './viewer.type';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who is calling. Public: anonymous callers see ANONYMOUS.' })
  @Public()
  viewer(@Ctx() ctx: RequestContext): Viewer {
    return viewerOf(ctx.principal);
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
}

function viewerOf(principal: Principal): Viewer {
  const base = { prefix: null, permissions: [], accountId: null, clientId: null, keyId: null };
  switch (principal.kind) {
    case 'anonymous':
      return { ...base, principal: PrincipalKind.ANONYMOUS };
    case 'operator':
      return { ...base, principal: PrincipalKind.OPERATOR };
    case 'api-key':
      return {
        principal: principal.keyKind === ApiKeyKind.ADMIN ? PrincipalKind.ADMIN_KEY : PrincipalKind.CLIENT_KEY,
        prefix: principal.prefix,
        permissions: normalizePermissions(principal.permissions),
        accountId: principal.accountId,
        clientId: principal.clientId,
        keyId: principal.keyId,
      };
  }
}
