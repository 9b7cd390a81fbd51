import { IsOptional, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { IsName } from '../shared/validators';
import { RateLimitWindow } from '../shared/rate-limit-window';

export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

@InputType()
export class CreateAccountInput {
  @Field({ description: '1–100 characters after trimming, no control characters.' })
  @IsName()
  name: string;

  @Field(() => Int, { nullable: true, description: 'Requests per minute per pool. Default 1000.' })
  @IsOptional()
  @Min(1)
  @Max(MAX_RATE_LIMIT_PER_MINUTE)
  rateLimitPerMinute?: number | null;

  @Field(() => RateLimitWindow, { nullable: true, description: 'How the plan limit counts its window. Default FIXED.' })
  rateLimitWindow?: RateLimitWindow | null;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  developerApiEnabled?: boolean | null;
}

@InputType()
export class UpdateAccountInput {
  @Field(() => String, { nullable: true, description: '1–100 characters after trimming, no control characters.' })
  @IsOptional()
  @IsName()
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Requests per minute per pool.' })
  @IsOptional()
  @Min(1)
  @Max(MAX_RATE_LIMIT_PER_MINUTE)
  rateLimitPerMinute?: number | null;

  @Field(() => RateLimitWindow, {
    nullable: true,
    description: 'How the plan limit counts its window; applies to the next request. Each window counts from nothing when it changes.',
  })
  rateLimitWindow?: RateLimitWindow | null;

  @Field(() => Boolean, { nullable: true })
  developerApiEnabled?: boolean | null;
}
