import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsName } from '../shared/validators';
import { Permission } from '../shared/permission';
import { ApiKeyKind } from '../shared/api-key-kind';
import { ApiKeyStatus } from './api-key-status';

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

  @Field(() => [String], {
    nullable: true,
    description:
      'The addresses the key may be used from: at most 100 IPv4/IPv6 addresses and CIDR ranges (203.0.113.7, 10.0.0.0/8, 2001:db8::/32). ' +
      'Absent or empty: any address.',
  })
  allowedIps?: string[] | null;
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
