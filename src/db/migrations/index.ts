import { Initial1764000000000 } from './1764000000000-initial';
import { AccountPlan1764000000001 } from './1764000000001-account-plan';
import { Leads1764000000002 } from './1764000000002-leads';
import { PlaygroundKeys1764000000010 } from './1764000000010-playground-keys';
import { LeadEmailPerClient1764000000020 } from './1764000000020-lead-email-per-client';
import { KeyMetadataClientExternalId1764000000030 } from './1764000000030-key-metadata-client-external-id';
import { PlatformScopes1764000000031 } from './1764000000031-platform-scopes';
import { KeyCredits1764000000032 } from './1764000000032-key-credits';
import { KeyRateLimits1764000000033 } from './1764000000033-key-rate-limits';
import { KeyAllowedIps1764000000034 } from './1764000000034-key-allowed-ips';
import { AuditTargetIndex1764000000045 } from './1764000000045-audit-target-index';
import { RevokedKeyScopes1764000000046 } from './1764000000046-revoked-key-scopes';
import { UsageBuckets1764000000035 } from './1764000000035-usage-buckets';
import { AccountRateLimitWindow1764000000036 } from './1764000000036-account-rate-limit-window';
import { LeakResponse1764000000041 } from './1764000000041-leak-response';
import { Webhooks1764000000040 } from './1764000000040-webhooks';

/** Listed explicitly (not globbed) so they load the same from src/ under jest and from dist/. */
export const MIGRATIONS = [
  Initial1764000000000,
  AccountPlan1764000000001,
  Leads1764000000002,
  PlaygroundKeys1764000000010,
  LeadEmailPerClient1764000000020,
  KeyMetadataClientExternalId1764000000030,
  PlatformScopes1764000000031,
  KeyCredits1764000000032,
  KeyRateLimits1764000000033,
  KeyAllowedIps1764000000034,
  UsageBuckets1764000000035,
  AccountRateLimitWindow1764000000036,
  Webhooks1764000000040,
  LeakResponse1764000000041,
  AuditTargetIndex1764000000045,
  RevokedKeyScopes1764000000046,
];
