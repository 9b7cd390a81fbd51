import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { RequestContext } from './context';
import { KEY_VERIFIER } from '../authentication/key-verification.service';
import { KeyVerification } from '../authentication/key-verification.type';

@Resolver()
export class KeyVerificationResolver {
  @Query(() => KeyVerification, {
    nullable: true,
    description:
      "For the platform's other services: may this key be accepted? Counts against the verified key's pool, not the " +
      "caller's. The operator verifies any key; a keys:verify holder only its own account's (others answer NOT_FOUND).",
  })
  @Auth(KEY_VERIFIER.permission, { orOperator: KEY_VERIFIER.operatorToo })
  verifyApiKey(
    @Ctx() ctx: RequestContext,
    @Arg('key', { description: 'The raw key, as presented.' }) key: string,
  ): KeyVerification | Promise<KeyVerification> {
    return ctx.services.keyVerification.verify(ctx.caller, key);
  }
}
