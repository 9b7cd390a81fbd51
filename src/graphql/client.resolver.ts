import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ApiKey } from '../api-keys/api-key.entity';
import { Auth } from '../shared/auth.decorators';
import { ConnectionType, PageArgs, toConnection } from '../shared/pagination';
import { RequestContext } from './context';
import { Permission } from '../shared/permission';
import { Client } from '../clients/client.entity';
import { ClientFilter, CreateClientInput, UpdateClientInput } from '../clients/client.inputs';
import { UsageArgs, UsageBucket, usageDescription } from '../usage/usage.types';

export const ClientConnection = ConnectionType(Client);
export type ClientConnection = InstanceType<typeof ClientConnection>;

@Resolver(() => Client)
export class ClientResolver {
  @Query(() => ClientConnection, { nullable: true, description: "The account's clients, newest first (a client key sees its own)." })
  @Auth(Permission.CLIENTS_READ)
  async clients(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ClientFilter, { nullable: true }) filter: ClientFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<ClientConnection> {
    return toConnection(ClientConnection, await ctx.services.clients.list(ctx.caller, filter, page));
  }

  @Query(() => Client, { nullable: true })
  @Auth(Permission.CLIENTS_READ)
  client(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Client | null> {
    return ctx.services.clients.get(ctx.caller, id);
  }

  @Query(() => Client, {
    nullable: true,
    description: "The client with this externalId (the platform's own id for the customer, compared without case), or null.",
  })
  @Auth(Permission.CLIENTS_READ)
  clientByExternalId(@Ctx() ctx: RequestContext, @Arg('externalId', () => String) externalId: string): Promise<Client | null> {
    return ctx.services.clients.byExternalId(ctx.caller, externalId);
  }

  @Mutation(() => Client)
  @Auth(Permission.CLIENTS_WRITE)
  createClient(@Ctx() ctx: RequestContext, @Arg('input') input: CreateClientInput): Promise<Client> {
    return ctx.services.clients.create(ctx.caller, input);
  }

  @Mutation(() => Client)
  @Auth(Permission.CLIENTS_WRITE)
  renameClient(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('name') name: string): Promise<Client> {
    return ctx.services.clients.rename(ctx.caller, id, name);
  }

  @Mutation(() => Client, {
    description: 'Changes the name and the externalId in one step: a field left out stays as it is; externalId null clears it. Audited.',
  })
  @Auth(Permission.CLIENTS_WRITE)
  updateClient(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClientInput) input: UpdateClientInput,
  ): Promise<Client> {
    return ctx.services.clients.update(ctx.caller, id, input);
  }

  // Nullable so that a caller with clients:read but not keys:read still gets
  // the client (and a list of clients) with this one field null and FORBIDDEN,
  // rather than losing the whole object to non-null propagation.
  @FieldResolver(() => [ApiKey], {
    nullable: true,
    description: "The client's live keys (active, inactive and expired), newest first. Null, with a FORBIDDEN error, without keys:read.",
  })
  @Auth(Permission.KEYS_READ)
  apiKeys(@Root() client: Client, @Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.loaders.keysOfClient.load(client.id);
  }

  @FieldResolver(() => [UsageBucket], {
    nullable: true,
    description: `${usageDescription("The client's keys'")} Summed over its keys. Null, with a FORBIDDEN error, without keys:read.`,
  })
  @Auth(Permission.KEYS_READ)
  usage(@Root() client: Client, @Ctx() ctx: RequestContext, @Args() args: UsageArgs): Promise<UsageBucket[]> {
    return ctx.services.usageQueries.forClient(ctx.caller, client, args);
  }
}
