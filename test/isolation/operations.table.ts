import { OperationSpec } from './isolation.runner';
import { KEY_MUTATIONS } from './operations.keys';
import { OTHER_MUTATIONS } from './operations.mutations';
import { QUERIES } from './operations.queries';
import { WEBHOOK_OPERATIONS } from './operations.webhooks';

/**
 * One row set per query and mutation of the schema, keyed `Query.field` /
 * `Mutation.field`. isolation.coverage.test.ts fails when the schema has an
 * operation this table lacks (or the other way round), so a new operation
 * cannot ship without being tried by every principal on every target.
 */
export const OPERATIONS: ReadonlyMap<string, OperationSpec> = new Map(
  [...QUERIES, ...KEY_MUTATIONS, ...OTHER_MUTATIONS, ...WEBHOOK_OPERATIONS].map((op) => [`${op.root}.${op.field}`, op]),
);

export { QUERIES, KEY_MUTATIONS, OTHER_MUTATIONS, WEBHOOK_OPERATIONS };

/**
 * The matrix in files of about equal running time, so parallel jest workers
 * finish together; each file builds its own world. The coverage test holds
 * every operation in exactly one of them.
 */
export const ISOLATION_FILES: Readonly<Record<string, readonly string[]>> = {
  'key grants': ['Mutation.createApiKey', 'Mutation.createPlaygroundKey', 'Mutation.updateApiKeyPermissions'],
  'key changes': ['Mutation.renameApiKey', 'Mutation.updateApiKey', 'Mutation.resetApiKey'],
  'key status': ['Mutation.deactivateApiKey', 'Mutation.activateApiKey'],
  'key endings': ['Mutation.revokeApiKey', 'Mutation.deleteApiKey'],
  'key reads': ['Query.apiKeys', 'Query.apiKey', 'Query.revokedKeys', 'Query.verifyApiKey', 'Query.auditEvents'],
  leads: ['Query.leads', 'Query.lead', 'Mutation.createLead', 'Mutation.updateLead', 'Mutation.deleteLead'],
  'accounts and clients': [
    'Query.viewer',
    'Query.permissions',
    'Query.scopes',
    'Query.account',
    'Query.accounts',
    'Query.clients',
    'Query.client',
    'Query.clientByExternalId',
    'Mutation.createAccount',
    'Mutation.updateAccount',
    'Mutation.updateAccountSettings',
    'Mutation.defineScope',
    'Mutation.createClient',
    'Mutation.renameClient',
    'Mutation.updateClient',
  ],
  webhooks: [
    'Query.webhookEndpoints',
    'Query.webhookDeliveries',
    'Mutation.createWebhookEndpoint',
    'Mutation.updateWebhookEndpoint',
    'Mutation.deleteWebhookEndpoint',
    'Mutation.rotateWebhookSecret',
    'Mutation.redeliverWebhook',
  ],
};
