import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsName } from '../common/validators';

@InputType()
export class CreateAccountInput {
  @Field({ description: '1–100 characters after trimming, no control characters.' })
  @IsName()
  name: string;
}

@InputType()
export class UpdateAccountInput {
  @Field({ nullable: true, description: '1–100 characters after trimming, no control characters.' })
  @IsOptional()
  @IsName()
  name?: string;
}
