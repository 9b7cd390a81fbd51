import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsName } from '../shared/validators';

@InputType()
export class CreateClientInput {
  @Field({ description: '1–100 characters after trimming, no control characters.' })
  @IsName()
  name: string;
}

@InputType()
export class ClientFilter {
  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(100)
  name?: string;
}
