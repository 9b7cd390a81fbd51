import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsName } from '../shared/validators';

@InputType()
export class CreateClientInput {
  @Field({ description: '1–100 characters after trimming, no control characters.' })
  @IsName()
  name: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The platform's own id for this customer (1–128 printable ASCII characters, unique within the account, compared without case).",
  })
  externalId?: string | null;
}

/** updateClient's input: a field left out stays as it is; externalId null clears it (a name cannot be cleared). */
@InputType()
export class UpdateClientInput {
  @Field(() => String, { nullable: true, description: '1–100 characters after trimming, no control characters.' })
  @IsOptional()
  @IsName()
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The platform's own id for this customer (1–128 printable ASCII characters, unique within the account); null: none.",
  })
  externalId?: string | null;
}

@InputType()
export class ClientFilter {
  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(100)
  name?: string;
}
