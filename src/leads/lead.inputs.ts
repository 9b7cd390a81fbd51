import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { IsName } from '../shared/validators';
import { COMPANY_MAX_LENGTH, EMAIL_MAX_LENGTH, IsLeadEmail } from './lead.rules';

@InputType()
export class CreateLeadInput {
  @Field({
    description: `An email address, at most ${EMAIL_MAX_LENGTH} characters; stored lower-cased. Unique within the lead's client (the account's own leads: among themselves).`,
  })
  @IsLeadEmail()
  email: string;

  @Field({ description: '1–100 characters after trimming, no control characters.' })
  @IsName()
  name: string;

  @Field(() => String, { nullable: true, description: `At most ${COMPANY_MAX_LENGTH} characters.` })
  @IsOptional()
  @MaxLength(COMPANY_MAX_LENGTH)
  company?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Make the lead one of this client's. Omit for an account-level lead (a client key always makes them for its own client).",
  })
  clientId?: string | null;
}

/** Omitted fields stay as they are. */
@InputType()
export class UpdateLeadInput {
  @Field(() => String, {
    nullable: true,
    description: "Must stay unique within the lead's client (the account's own leads: among themselves).",
  })
  @IsOptional()
  @IsLeadEmail()
  email?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsName()
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'null or an empty string clears it.' })
  @IsOptional()
  @MaxLength(COMPANY_MAX_LENGTH)
  company?: string | null;
}

@InputType()
export class LeadFilter {
  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @Field({ nullable: true, description: 'Partial, case-insensitive match; % and _ match themselves.' })
  @MaxLength(100)
  name?: string;

  @Field(() => ID, { nullable: true })
  clientId?: string;
}
