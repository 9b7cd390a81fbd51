import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../shared/auth.decorators';
import { Client } from '../clients/client.entity';
import { ConnectionType, PageArgs, toConnection } from '../shared/pagination';
import { RequestContext } from './context';
import { Permission } from '../shared/permission';
import { Lead } from '../leads/lead.entity';
import { CreateLeadInput, LeadFilter, UpdateLeadInput } from '../leads/lead.inputs';

export const LeadConnection = ConnectionType(Lead);
export type LeadConnection = InstanceType<typeof LeadConnection>;

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => LeadConnection, { nullable: true, description: "The account's leads, newest first (a client key sees its client's)." })
  @Auth(Permission.LEADS_READ)
  async leads(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => LeadFilter, { nullable: true }) filter: LeadFilter | undefined,
    @Args() page: PageArgs,
  ): Promise<LeadConnection> {
    return toConnection(LeadConnection, await ctx.services.leads.list(ctx.caller, filter, page));
  }

  @Query(() => Lead, { nullable: true, description: 'A lead in your scope, or null.' })
  @Auth(Permission.LEADS_READ)
  lead(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Lead | null> {
    return ctx.services.leads.get(ctx.caller, id);
  }

  @Mutation(() => Lead)
  @Auth(Permission.LEADS_CREATE)
  createLead(@Ctx() ctx: RequestContext, @Arg('input') input: CreateLeadInput): Promise<Lead> {
    return ctx.services.leads.create(ctx.caller, input);
  }

  @Mutation(() => Lead)
  @Auth(Permission.LEADS_UPDATE)
  updateLead(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('input') input: UpdateLeadInput): Promise<Lead> {
    return ctx.services.leads.update(ctx.caller, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes the lead for good; returns its id.' })
  @Auth(Permission.LEADS_DELETE)
  deleteLead(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<string> {
    return ctx.services.leads.delete(ctx.caller, id);
  }

  @FieldResolver(() => Client, { nullable: true, description: "The client the lead belongs to; null for the account's own." })
  client(@Root() lead: Lead, @Ctx() ctx: RequestContext): Promise<Client | null> | null {
    return lead.clientId === null ? null : ctx.loaders.clientById.load(lead.clientId);
  }
}
