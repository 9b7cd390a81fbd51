import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Public } from '../shared/auth.decorators';
import { Timestamped } from '../db/timestamps';

/** `resource` and `action` of SCOPE_NAME, 64 characters each, and the colon. */
export const SCOPE_NAME_MAX_LENGTH = 129;
export const SCOPE_DESCRIPTION_MAX_LENGTH = 500;

/**
 * One platform scope: a permission of the platform's own API (invoices:read),
 * not of keyward's (those are the Permission enum). Declared by the operator
 * for every account at once, so the catalogue is global and public, like the
 * permission catalogue; keys hold its names (ApiKey.scopes).
 */
@Entity('platform_scopes')
@ObjectType('ScopeInfo', { description: 'One platform scope: a permission of your own API that keys can hold.', simpleResolvers: true })
@Public()
export class PlatformScope extends Timestamped {
  @Field({ description: 'resource:action, lower case, e.g. invoices:read; the action * covers every action of its resource.' })
  @PrimaryColumn({ type: 'varchar', length: SCOPE_NAME_MAX_LENGTH })
  name: string;

  @Field({ description: 'What holding the scope lets a key do, for the people who grant it.' })
  @Column({ type: 'varchar', length: SCOPE_DESCRIPTION_MAX_LENGTH })
  description: string;

  @Field({ description: 'Whether client keys may hold it (admin keys may hold any scope).' })
  @Column({ type: 'boolean', name: 'client_assignable', default: false })
  clientAssignable: boolean;
}
