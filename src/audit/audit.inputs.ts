import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AuditAction, AuditTargetType } from './audit-action';

@InputType()
export class AuditEventFilter {
  @Field(() => AuditAction, { nullable: true })
  action?: AuditAction;

  @Field(() => AuditTargetType, { nullable: true })
  targetType?: AuditTargetType;

  @Field(() => ID, {
    nullable: true,
    description: 'Events about this key, client or account; ids of different types overlap, so combine with targetType.',
  })
  @MaxLength(64)
  targetId?: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Events about this API key over its whole life (creation, every reset, revocation or deletion), whatever prefix it had at the time: a reset gives a key a new prefix but keeps its id.',
  })
  @MaxLength(64)
  apiKeyId?: string;

  @Field({
    nullable: true,
    description:
      'Events about the key while it had this prefix, e.g. sk_4fQm9ZtX; a reset changes the prefix, so use apiKeyId for its whole history.',
  })
  @MaxLength(16)
  targetPrefix?: string;

  @Field({ nullable: true, description: 'Partial, case-insensitive match on the actor, as the caller reads it.' })
  @MaxLength(200)
  actor?: string;
}
