import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { AccountResolver } from '../graphql/account.resolver';
import { ApiKeyMutationResolver } from '../graphql/api-key-mutation.resolver';
import { ApiKeyResolver, CreatedApiKeyResolver, RevokedKeyResolver } from '../graphql/api-key.resolver';
import { AuditResolver } from '../graphql/audit.resolver';
import { enforceAuthDirectives, withAuthDirectiveDefinitions } from '../shared/auth.directives';
import { ClientResolver } from '../graphql/client.resolver';
import { clearLoadersAfterMutations } from '../graphql/clear-loaders';
import { KeyVerificationResolver } from '../graphql/key-verification.resolver';
import { LeadResolver } from '../graphql/lead.resolver';
import { PermissionResolver } from '../graphql/permission.resolver';
import { ScopeResolver } from '../graphql/scope.resolver';
import { ViewerResolver } from '../graphql/viewer.resolver';
import { WebhookResolver } from '../graphql/webhook.resolver';
import { describeAuthRequirements } from './auth-docs';

const RESOLVERS = [
  ViewerResolver,
  AccountResolver,
  ApiKeyResolver,
  RevokedKeyResolver,
  CreatedApiKeyResolver,
  ApiKeyMutationResolver,
  ClientResolver,
  AuditResolver,
  PermissionResolver,
  ScopeResolver,
  LeadResolver,
  KeyVerificationResolver,
  WebhookResolver,
] as const;

/** The schema as served: type-graphql's, plus the @auth/@public definitions, with the rules enforced. */
export async function buildKeywardSchema(): Promise<GraphQLSchema> {
  // Parameter decorators run last to first, so type-graphql would list each
  // field's arguments in reverse; put them back in declaration order.
  getMetadataStorage().params.sort((a, b) => a.index - b.index);
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    validate: { forbidUnknownValues: false },
  });
  return clearLoadersAfterMutations(enforceAuthDirectives(describeAuthRequirements(withAuthDirectiveDefinitions(schema))));
}

let served: Promise<GraphQLSchema> | undefined;

/** Built once per process: the schema depends only on the code, and every server start would pay for it again. */
export function keywardSchema(): Promise<GraphQLSchema> {
  served ??= buildKeywardSchema();
  return served;
}

export const SCHEMA_HEADER =
  '# keyward GraphQL schema. Generated from the code by `npm run schema`; do not edit by hand.\n' +
  '# @auth(requires: P) names the permission a field needs; @public marks what anyone may read.\n\n';

export function printKeywardSchema(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchemaWithDirectives(schema) + '\n';
}
