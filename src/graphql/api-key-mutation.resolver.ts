import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { RequestContext } from './context';
import { Permission } from '../shared/permission';
import { ApiKey } from '../api-keys/api-key.entity';
import { CreateApiKeyInput, UpdateApiKeyInput } from '../api-keys/api-key.inputs';
import { CreatedApiKey } from './api-key.types';
import { RevokedKey } from '../api-keys/revoked-key.entity';

@Resolver()
export class ApiKeyMutationResolver {
  @Mutation(() => CreatedApiKey, { description: 'Creates an admin key, or a client key with clientId. The secret is shown once.' })
  @Auth(Permission.KEYS_WRITE)
  createApiKey(@Ctx() ctx: RequestContext, @Arg('input') input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return ctx.services.apiKeyIssuer.create(ctx.caller, input);
  }

  @Mutation(() => CreatedApiKey, {
    description:
      'A 1-hour admin key named "Docs playground (temp)" with keys:read and the four leads permissions, for trying the API (the explorer, /docs).',
  })
  @Auth(Permission.KEYS_WRITE)
  createPlaygroundKey(@Ctx() ctx: RequestContext): Promise<CreatedApiKey> {
    return ctx.services.apiKeyIssuer.createPlayground(ctx.caller);
  }

  @Mutation(() => ApiKey, { description: 'The key value stays the same.' })
  @Auth(Permission.KEYS_WRITE)
  renameApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('name') name: string): Promise<ApiKey> {
    return ctx.services.apiKeyLifecycle.rename(ctx.caller, id, name);
  }

  @Mutation(() => ApiKey, {
    description:
      "Changes a key's settings in one step: a field left out stays as it is, a field set to null is cleared. " +
      'One audit event says what changed; every instance drops the key from its cache. The value stays the same.',
  })
  @Auth(Permission.KEYS_WRITE)
  updateApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateApiKeyInput) input: UpdateApiKeyInput,
  ): Promise<ApiKey> {
    return ctx.services.apiKeyUpdater.update(ctx.caller, id, input);
  }

  @Mutation(() => ApiKey, { description: 'Replaces the permissions. You can only grant what you hold. The value stays the same.' })
  @Auth(Permission.KEYS_WRITE)
  updateApiKeyPermissions(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('permissions', () => [Permission]) permissions: Permission[],
  ): Promise<ApiKey> {
    return ctx.services.apiKeyLifecycle.updatePermissions(ctx.caller, id, permissions);
  }

  @Mutation(() => CreatedApiKey, {
    description:
      "New value and prefix for the same key. The old value stops at once, or after gracePeriodSeconds (at most 7 days, never past the key's expiry).",
  })
  @Auth(Permission.KEYS_WRITE)
  resetApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('gracePeriodSeconds', () => Int, { nullable: true, defaultValue: 0 }) gracePeriodSeconds: number | null,
  ): Promise<CreatedApiKey> {
    return ctx.services.apiKeyIssuer.reset(ctx.caller, id, gracePeriodSeconds ?? 0);
  }

  @Mutation(() => ApiKey, { description: 'Reversible: the key gets 401 until activated again.' })
  @Auth(Permission.KEYS_WRITE)
  deactivateApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return ctx.services.apiKeyLifecycle.deactivate(ctx.caller, id);
  }

  @Mutation(() => ApiKey)
  @Auth(Permission.KEYS_WRITE)
  activateApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<ApiKey> {
    return ctx.services.apiKeyLifecycle.activate(ctx.caller, id);
  }

  @Mutation(() => RevokedKey, { description: 'Permanent. The key moves to revokedKeys and can never authenticate again.' })
  @Auth(Permission.KEYS_WRITE)
  revokeApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true, description: 'Kept with the revoked key, at most 500 characters.' })
    reason?: string | null,
  ): Promise<RevokedKey> {
    return ctx.services.apiKeyLifecycle.revoke(ctx.caller, id, reason ?? null);
  }

  @Mutation(() => ID, { description: 'Gone with no history but its audit events. Returns the id.' })
  @Auth(Permission.KEYS_WRITE)
  deleteApiKey(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.apiKeyLifecycle.delete(ctx.caller, id);
  }
}
