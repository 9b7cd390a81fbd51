import { Field, Int, ObjectType } from 'type-graphql';
import { Public } from '../shared/auth.decorators';

@ObjectType({
  description:
    "A rate-limit pool's state: all admin keys of an account share one pool, each client's keys share the client's, " +
    'and each dashboard user has one. The same numbers as the RateLimit-* response headers.',
  simpleResolvers: true,
})
// Public fields: only reachable through fields that already checked the caller (viewer, verifyApiKey).
@Public()
export class RateLimit {
  @Field(() => Int, { description: "Requests per minute: the account's plan limit." })
  limit: number;

  @Field(() => Int, { description: 'Requests left in the current window (for a SLIDING one: the last minute).' })
  remaining: number;

  @Field({
    description:
      'When the pool is full again: when the current window ends, or for a SLIDING window when what it counts has left it. ' +
      'After a refused charge of a sliding pool: when a retry would fit.',
  })
  resetAt: Date;
}
