import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../shared/auth.decorators';
import { Permission } from '../shared/permission';

export enum PrincipalKind {
  ANONYMOUS = 'ANONYMOUS',
  OPERATOR = 'OPERATOR',
  ADMIN_KEY = 'ADMIN_KEY',
  CLIENT_KEY = 'CLIENT_KEY',
  /** A dashboard user, with a JWT from the host platform's identity provider. */
  USER = 'USER',
}

registerEnumType(PrincipalKind, { name: 'PrincipalKind', description: 'What kind of credential made the request.' });

@ObjectType({ description: 'Who is calling, and what it may do.', simpleResolvers: true })
@Public()
export class Viewer {
  @Field(() => PrincipalKind)
  principal: PrincipalKind;

  @Field(() => String, { nullable: true, description: "The calling key's prefix." })
  prefix: string | null;

  @Field(() => [Permission], {
    description: 'What the caller may do, with what its permissions imply (keys:write brings keys:read). Empty when anonymous.',
  })
  permissions: Permission[];

  @Field(() => String, {
    nullable: true,
    description:
      "A dashboard user's subject (the token's sub claim), as the audit log names it (user:<sub>). Null for keys and the operator.",
  })
  subject: string | null;

  @Field({
    description:
      "True when this request presented a key's previous value: the one the key's last reset replaced, which works only " +
      "until previousKeyExpiresAt (the reset's grace period). Switch to the key's new value before then.",
  })
  usingPreviousKeyValue: boolean;

  @Field(() => Date, {
    nullable: true,
    description: 'When the previous key value this request presented stops working; null unless usingPreviousKeyValue.',
  })
  previousKeyExpiresAt: Date | null;

  accountId: number | null;
  clientId: number | null;
  keyId: number | null;
}
