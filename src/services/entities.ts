import { Account } from '../accounts/account.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { RevokedKey } from '../api-keys/revoked-key.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Client } from '../clients/client.entity';
import { Lead } from '../leads/lead.entity';
import { PlatformScope } from '../scopes/platform-scope.entity';
import { UsageCount } from '../usage/usage-count.entity';
import { KeyExpiryNotice } from '../webhooks/key-expiry-notice.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';
import { WebhookEvent } from '../webhooks/webhook-event.entity';

/** Every table's entity class. Each domain owns its own; the data source is handed the list. */
export const ENTITIES = [
  Account,
  Client,
  ApiKey,
  RevokedKey,
  AuditEvent,
  Lead,
  PlatformScope,
  UsageCount,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
  KeyExpiryNotice,
];
