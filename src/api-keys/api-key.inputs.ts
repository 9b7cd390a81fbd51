import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { IsName } from '../shared/validators';
import { Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { ApiKeyStatus } from './api-key-status';
import { KeyMetadata } from './key-metadata';
import { MAX_CREDITS, RefillInput } from '../credits/refill';
import { KeyRateLimitInput } from '../rate-limits/key-rate-limits';

@InputType()
export class CreateApiKeyInput {
  @Field({
    description:
      '1–100 characters after trimming, no control characters. Client key names: letters, digits, spaces, hyphens and underscores.',
  })
  @IsName()
  name: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Make a client key for this client. Omit for an admin key (a client key caller always makes keys for its own client).',
  })
  clientId?: string | null;

  @Field(() => [Permission], {
    defaultValue: [],
    description: 'What the key may do. You can only grant permissions you hold yourself.',
  })
  @ArrayMaxSize(50)
  permissions: Permission[];

  @Field(() => Date, { nullable: true, description: 'When the key stops working. Must be in the future; cannot be changed later.' })
  @IsOptional()
  expiresAt?: Date | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "The platform's own data on the key: a JSON object, at most 4 KB as JSON, returned by every verification.",
  })
  metadata?: KeyMetadata | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'The addresses the key may be used from: at most 100 IPv4/IPv6 addresses and CIDR ranges (203.0.113.7, 10.0.0.0/8, 2001:db8::/32). ' +
      'Absent or empty: any address.',
  })
  allowedIps?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Platform scopes (defined with defineScope) for the key to hold, at most 50. You can only grant scopes you hold; ' +
      'a client key only clientAssignable ones. Absent: none.',
  })
  scopes?: string[] | null;
  @Field(() => Int, {
    nullable: true,
    description: `Usage credits (0 to ${MAX_CREDITS}): each request costs 1, each verification its cost. Absent: unlimited, or the refill's amount.`,
  })
  remaining?: number | null;

  @Field(() => RefillInput, { nullable: true, description: 'Sets remaining back to amount every day (00:00 UTC) or month. Absent: never.' })
  refill?: RefillInput | null;

  @Field(() => [KeyRateLimitInput], {
    nullable: true,
    description: 'Named rate limits for the key, besides its pool: at most 10, unique names, 1 s to 1 day each. Absent: none.',
  })
  rateLimits?: KeyRateLimitInput[] | null;
}

/**
 * updateApiKey's input: every field is optional. Absent: unchanged; null:
 * cleared (a name cannot be). Each field has its handler, with its rules, in
 * api-key-update.service.ts.
 */
@InputType()
export class UpdateApiKeyInput {
  @Field(() => String, {
    nullable: true,
    description:
      '1–100 characters after trimming, no control characters. Client key names: letters, digits, spaces, hyphens and underscores.',
  })
  @IsOptional()
  @IsName()
  name?: string | null;

  @Field(() => [Permission], {
    nullable: true,
    description: 'Replaces the permissions (null: none). You can only grant what you hold; the primary key keeps all of them.',
  })
  @IsOptional()
  @ArrayMaxSize(50)
  permissions?: Permission[] | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "Replaces the platform's own data on the key (a JSON object, at most 4 KB as JSON); null: none.",
  })
  metadata?: KeyMetadata | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Replaces the addresses the key may be used from (IPv4/IPv6 addresses and CIDR ranges, at most 100); null or []: any.',
  })
  allowedIps?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Replaces the platform scopes (null or []: none), at most 50. You can only grant scopes you hold; a client key only clientAssignable ones.',
  })
  scopes?: string[] | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'Sets the usage credits left (0 to 1000000000), starting the count again on every instance; null: unlimited (drops the refill).',
  })
  remaining?: number | null;

  @Field(() => RefillInput, {
    nullable: true,
    description: 'Replaces the refill (null: none); remaining is kept, or starts at the amount on a key without credits.',
  })
  refill?: RefillInput | null;

  @Field(() => [KeyRateLimitInput], {
    nullable: true,
    description: 'Replaces the named rate limits (null or []: none): at most 10, unique names, 1 s to 1 day each.',
  })
  rateLimits?: KeyRateLimitInput[] | null;
}

@InputType()
export class ApiKeyFilter {
  @Field(() => ApiKeyStatus, { nullable: true })
  status?: ApiKeyStatus;

  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(100)
  name?: string;

  @Field(() => ApiKeyKind, { nullable: true })
  kind?: ApiKeyKind;

  @Field(() => ID, { nullable: true })
  clientId?: string;
}

@InputType()
export class RevokedKeyFilter {
  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(100)
  name?: string;

  @Field(() => ID, { nullable: true })
  clientId?: string;
}
