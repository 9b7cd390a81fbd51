import { Field, InputType } from 'type-graphql';
import { LeakResponse } from './leak-response';

/** The settings an account keeps for itself, unlike its plan (updateAccount), which is the operator's. Absent or null: unchanged. */
@InputType()
export class AccountSettingsInput {
  @Field(() => LeakResponse, { nullable: true, description: 'What keyward does with a live key of the account reported leaked.' })
  leakResponse?: LeakResponse | null;
}
