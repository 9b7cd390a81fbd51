import { Query, Resolver } from 'type-graphql';
import { Public } from '../shared/auth.decorators';
import { ALL_PERMISSIONS, PERMISSION_CATALOGUE } from '../shared/permission';
import { PermissionInfo } from './permission-info.type';

@Resolver()
export class PermissionResolver {
  @Query(() => [PermissionInfo], { nullable: true, description: 'The permission catalogue. Public.' })
  @Public()
  permissions(): PermissionInfo[] {
    return ALL_PERMISSIONS.map((permission) => ({
      permission,
      name: permission,
      ...PERMISSION_CATALOGUE[permission],
    }));
  }
}
