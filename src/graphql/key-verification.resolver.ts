import { Arg, Ctx, Field, InputType, Int, Query, Resolver } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { RequestContext } from './context';
import { KEY_VERIFIER } from '../authentication/key-verification.service';
import { KeyVerification } from '../authentication/key-verification.type';
import { verificationOptions } from '../authentication/verification-options';

@InputType({ description: "A charge of one of the key's named rate limits." })
export class NamedLimitChargeInput {
  @Field({ description: "The limit's name, as in ApiKey.rateLimits." })
  name: string;

  @Field(() => Int, { defaultValue: 1, description: 'Points this verification takes from the limit (0 allowed).' })
  cost: number;
}

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
    @Arg('requiredScopes', () => [String], {
      nullable: true,
      description: 'Platform scopes the key must hold (resource:action); INSUFFICIENT_SCOPE when one is missing.',
    })
    requiredScopes: string[] | null,
    @Arg('ip', () => String, {
      nullable: true,
      description: "The address the key's caller came from, checked against the key's allowedIps (IP_NOT_ALLOWED).",
    })
    ip: string | null,
    @Arg('cost', () => Int, { nullable: true, description: 'Usage credits this verification costs; 1 when omitted, 0 allowed.' })
    cost: number | null,
    @Arg('rateLimits', () => [NamedLimitChargeInput], {
      nullable: true,
      description: "Which of the key's named rate limits to charge, with a cost each; omitted: every one, 1 each.",
    })
    rateLimits: NamedLimitChargeInput[] | null,
  ): KeyVerification | Promise<KeyVerification> {
    return ctx.services.keyVerification.verify(ctx.caller, key, verificationOptions({ requiredScopes, ip, cost, rateLimits }));
  }
}
