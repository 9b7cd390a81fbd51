import { Field, ObjectType } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { ConnectionType } from '../shared/pagination';
import { ApiKey } from '../api-keys/api-key.entity';
import { RevokedKey } from '../api-keys/revoked-key.entity';

@ObjectType({ description: 'A key with its raw value. The value is shown in this answer only: store it now.', simpleResolvers: true })
@Auth()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'The raw key. It is never shown again; keyward keeps only its SHA-256.' })
  secret: string;

  // Resolved from the key (CreatedApiKeyResolver): the services answer with the key and its secret only.
  @Field(() => Date, {
    nullable: true,
    description:
      "After resetApiKey: until when the key's previous value still works (the reset time itself without a grace period). " +
      'Null for a new key.',
  })
  previousKeyExpiresAt?: Date | null;
}

export const ApiKeyConnection = ConnectionType(ApiKey);
export type ApiKeyConnection = InstanceType<typeof ApiKeyConnection>;

export const RevokedKeyConnection = ConnectionType(RevokedKey);
export type RevokedKeyConnection = InstanceType<typeof RevokedKeyConnection>;
