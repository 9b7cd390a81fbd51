import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { Client } from '../clients/client.entity';
import { PageArgs, toConnection } from '../shared/pagination';
import { RequestContext } from './context';
import { Permission } from '../shared/permission';
import { ApiKey } from '../api-keys/api-key.entity';
import { ApiKeyFilter, RevokedKeyFilter } from '../api-keys/api-key.inputs';
import { ApiKeyConnection, CreatedApiKey, RevokedKeyConnection } from './api-key.types';
import { RevokedKey } from '../api-keys/revoked-key.entity';
import { ApiKeyStatus, statusOf } from '../api-keys/api-key-status';
import { UsageArgs, UsageBucket, usageDescription } from '../usage/usage.types';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { nullable: true, description: 'Live keys (active, inactive, expired) in your scope, newest first.' })
  @Auth(Permission.KEYS_READ)
  async apiKeys(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ApiKeyFilter, { nullable: true }) filter: ApiKeyFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<ApiKeyConnection> {
    return toConnection(ApiKeyConnection, await ctx.services.apiKeyQueries.list(ctx.caller, filter, page));
  }

  @Query(() => ApiKey, { nullable: true, description: 'A live key in your scope, or null.' })
  @Auth(Permission.KEYS_READ)
  apiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiKey | null> {
    return ctx.services.apiKeyQueries.get(ctx.caller, id);
  }

  @Query(() => RevokedKeyConnection, { nullable: true, description: 'Revoked keys in your scope, most recently created first.' })
  @Auth(Permission.KEYS_READ)
  async revokedKeys(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RevokedKeyFilter, { nullable: true }) filter: RevokedKeyFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<RevokedKeyConnection> {
    return toConnection(RevokedKeyConnection, await ctx.services.apiKeyQueries.listRevoked(ctx.caller, filter, page));
  }

  // Judged when asked, by the server's clock: a key expires between two requests.
  @FieldResolver(() => ApiKeyStatus)
  status(@Root() key: ApiKey, @Ctx() ctx: RequestContext): ApiKeyStatus {
    return statusOf(key, ctx.services.clock.now());
  }

  @FieldResolver(() => Client, { nullable: true, description: 'The client of a client key; null for admin keys.' })
  client(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return key.clientId === null ? null : ctx.loaders.clientById.load(key.clientId);
  }

  // The count as the key's next use will find it: the row is written behind, and misses a refill due since the last use.
  @FieldResolver()
  async remaining(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<number | null> {
    return key.remaining === null ? null : ((await ctx.loaders.creditsNow.load(key))?.remaining ?? null);
  }

  @FieldResolver()
  async lastRefillAt(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return key.remaining === null ? null : ((await ctx.loaders.creditsNow.load(key))?.lastRefillAt ?? null);
  }

  @FieldResolver(() => [UsageBucket], { description: usageDescription("This key's") })
  @Auth(Permission.KEYS_READ)
  usage(@Root() key: ApiKey, @Ctx() ctx: RequestContext, @Args() args: UsageArgs): Promise<UsageBucket[]> {
    return ctx.services.usageQueries.forKey(ctx.caller, key, args);
  }
}

@Resolver(() => RevokedKey)
export class RevokedKeyResolver {
  @FieldResolver(() => Client, { nullable: true, description: 'The client of a client key; null for admin keys.' })
  client(@Root() key: RevokedKey, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return key.clientId === null ? null : ctx.loaders.clientById.load(key.clientId);
  }
}

@Resolver(() => CreatedApiKey)
export class CreatedApiKeyResolver {
  // The same column REST's previous_key_expires_at reads: set by the reset that made this answer, null on a new key.
  @FieldResolver(() => Date, { nullable: true })
  previousKeyExpiresAt(@Root() created: CreatedApiKey): Date | null {
    return created.apiKey.previousKeyExpiresAt;
  }
}
