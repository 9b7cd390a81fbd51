import { Arg, Args, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CreatedApiKey } from './api-key.types';
import { Auth } from '../shared/auth.decorators';
import { ConnectionType, PageArgs, toConnection } from '../shared/pagination';
import { RequestContext } from './context';
import { Account } from '../accounts/account.entity';
import { CreateAccountInput, UpdateAccountInput } from '../accounts/account.inputs';
import { UsageArgs, UsageBucket, usageDescription } from '../usage/usage.types';
import { AccountSettingsInput } from '../accounts/account-settings.inputs';
import { Permission } from '../shared/permission';

export const AccountConnection = ConnectionType(Account);
export type AccountConnection = InstanceType<typeof AccountConnection>;

@ObjectType({ description: 'A new account and its primary admin key, whose secret is shown this once.', simpleResolvers: true })
@Auth()
export class CreatedAccount {
  @Field(() => Account)
  account: Account;

  @Field(() => CreatedApiKey)
  primaryKey: CreatedApiKey;
}

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => Account, { nullable: true, description: "The caller's account." })
  @Auth()
  account(@Ctx() ctx: RequestContext): Promise<Account> {
    return ctx.services.accounts.own(ctx.caller);
  }

  @Query(() => AccountConnection, { nullable: true, description: 'Every account, newest first. Platform operator only.' })
  @Auth('operator')
  async accounts(@Ctx() ctx: RequestContext, @Args() page: PageArgs): Promise<AccountConnection> {
    return toConnection(AccountConnection, await ctx.services.accounts.list(ctx.caller, page));
  }

  // Nullable, like Client.apiKeys: a caller without keys:read keeps the account, with this field null and FORBIDDEN.
  @FieldResolver(() => [UsageBucket], {
    nullable: true,
    description: `${usageDescription("The account's keys'")} Summed over its keys; a client key sees its own client's only.`,
  })
  @Auth(Permission.KEYS_READ, { orOperator: true })
  usage(@Root() account: Account, @Ctx() ctx: RequestContext, @Args() args: UsageArgs): Promise<UsageBucket[]> {
    return ctx.services.usageQueries.forAccount(ctx.caller, account, args);
  }

  @Mutation(() => CreatedAccount, { description: 'Platform operator only. Returns the primary admin key once.' })
  @Auth('operator')
  createAccount(@Ctx() ctx: RequestContext, @Arg('input') input: CreateAccountInput): Promise<CreatedAccount> {
    return ctx.services.accounts.create(ctx.caller, input);
  }

  @Mutation(() => Account, { description: 'Platform operator only.' })
  @Auth('operator')
  updateAccount(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateAccountInput): Promise<Account> {
    return ctx.services.accounts.update(ctx.caller, id, input);
  }

  @Mutation(() => Account, {
    description:
      "The caller's account's own settings: a developer's user token, or an admin key holding keys:write (not a client key). Audited.",
  })
  @Auth(Permission.KEYS_WRITE)
  updateAccountSettings(@Ctx() ctx: RequestContext, @Arg('input') input: AccountSettingsInput): Promise<Account> {
    return ctx.services.accountSettings.update(ctx.caller, input);
  }
}
