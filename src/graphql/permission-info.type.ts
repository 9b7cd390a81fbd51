import { Field, ObjectType } from 'type-graphql';
import { Public } from '../shared/auth.decorators';
import { Permission } from '../shared/permission';

@ObjectType({ description: 'One entry of the permission catalogue.', simpleResolvers: true })
@Public()
export class PermissionInfo {
  @Field(() => Permission)
  permission: Permission;

  @Field({ description: 'The resource:action form, as stored and shown in audit details.' })
  name: string;

  @Field()
  description: string;

  @Field({ description: 'Whether a client key may hold it (applied to its own client only).' })
  clientScoped: boolean;
}
