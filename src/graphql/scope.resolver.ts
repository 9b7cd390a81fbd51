import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Auth, Public } from '../shared/auth.decorators';
import { PlatformScope } from '../scopes/platform-scope.entity';
import { DefineScopeInput } from '../scopes/scope.inputs';
import { RequestContext } from './context';

@Resolver()
export class ScopeResolver {
  @Query(() => [PlatformScope], {
    nullable: true,
    description: "The platform scope catalogue (your own API's permissions that keys can hold), by name. Public.",
  })
  @Public()
  scopes(@Ctx() ctx: RequestContext): Promise<PlatformScope[]> {
    return ctx.services.scopes.list();
  }

  @Mutation(() => PlatformScope, {
    description:
      'Platform operator only. Declares a scope for every account, or redefines one: an existing name gets the new ' +
      'description and clientAssignable, and keys that hold it keep it. Writes no audit event (those belong to one account).',
  })
  @Auth('operator')
  defineScope(@Ctx() ctx: RequestContext, @Arg('input') input: DefineScopeInput): Promise<PlatformScope> {
    return ctx.services.scopes.define(ctx.caller, input);
  }
}
