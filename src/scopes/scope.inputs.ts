import { Field, InputType } from 'type-graphql';
import { SCOPE_DESCRIPTION_MAX_LENGTH } from './platform-scope.entity';

/** Checked by ScopeService.define (the CLI calls it too), not by class-validator. */
@InputType({
  description:
    'A platform scope to declare. Defining a name that exists replaces its description and clientAssignable; keys that hold it keep it.',
})
export class DefineScopeInput {
  @Field({ description: 'resource:action, lower case letters, digits, _ . and -, e.g. invoices:read; the action may be *.' })
  name: string;

  @Field({ description: `What the scope lets a key do: 1–${SCOPE_DESCRIPTION_MAX_LENGTH} characters, no control characters.` })
  description: string;

  @Field({
    defaultValue: false,
    description:
      'Whether client keys may hold it. Turning it off is refused while a client key holds the scope: remove it from them first.',
  })
  clientAssignable: boolean;
}
