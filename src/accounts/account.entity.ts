import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Auth } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';
import { DEFAULT_LEAK_RESPONSE, LeakResponse } from './leak-response';
import { DEFAULT_RATE_LIMIT_WINDOW, RateLimitWindow } from '../shared/rate-limit-window';

/** A new account's plan limit unless the operator says otherwise. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1000;

@Entity('accounts')
@ObjectType({ description: 'An organisation of the platform. Its keys, clients and audit log belong to it.', simpleResolvers: true })
@Auth()
export class Account extends Timestamped {
  @Field(() => ID)
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => Int, {
    description: "The plan's limit: requests per minute shared by all admin keys (and, separately, by each client's keys).",
  })
  @Column({ type: 'integer', name: 'rate_limit_per_minute', default: DEFAULT_RATE_LIMIT_PER_MINUTE })
  rateLimitPerMinute: number;

  @Field(() => RateLimitWindow, {
    description:
      'How the plan limit counts its window (set by the platform operator with the limit). FIXED (the default): a window ' +
      'opens with its first request and up to twice the limit can pass across its edge. SLIDING: never more than the limit ' +
      'in ANY interval of one window length (a minute), exactly across instances with Redis; a request counts until ' +
      'between one window and one window plus a sixtieth after it was admitted, refused requests not at all.',
  })
  @Column({ type: 'simple-enum', enum: RateLimitWindow, name: 'rate_limit_window', default: DEFAULT_RATE_LIMIT_WINDOW })
  rateLimitWindow: RateLimitWindow;

  @Field({
    description: "While false, the account's keys get 403 DEVELOPER_API_DISABLED and no key can be created. Set by the platform operator.",
  })
  @Column({ type: 'boolean', name: 'developer_api_enabled', default: true })
  developerApiEnabled: boolean;

  @Field(() => LeakResponse, {
    description:
      'What keyward does with a live key of this account reported leaked (POST /v1/keys/report-leak, GitHub secret scanning). ' +
      "Set by the account's developers with updateAccountSettings.",
  })
  @Column({ type: 'simple-enum', enum: LeakResponse, name: 'leak_response', default: DEFAULT_LEAK_RESPONSE })
  leakResponse: LeakResponse;
}
