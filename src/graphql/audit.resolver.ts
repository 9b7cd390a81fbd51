import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { ConnectionType, PageArgs, toConnection } from '../shared/pagination';
import { RequestContext } from './context';
import { Permission } from '../shared/permission';
import { AuditEvent } from '../audit/audit-event.entity';
import { AuditEventFilter } from '../audit/audit.inputs';

export const AuditEventConnection = ConnectionType(AuditEvent);
export type AuditEventConnection = InstanceType<typeof AuditEventConnection>;

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    nullable: true,
    description: "The account's audit trail, newest first (a client key sees its client's).",
  })
  @Auth(Permission.AUDIT_READ)
  async auditEvents(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<AuditEventConnection> {
    return toConnection(AuditEventConnection, await ctx.services.audit.list(ctx.caller, filter, page));
  }
}
