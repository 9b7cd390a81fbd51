import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditEntry } from '../audit/audit.service';
import { ApiKey } from './api-key.entity';

/** The audit entry for a change to a key: its account, client, prefix and name, plus what changed. */
export function keyAuditEntry(
  key: Pick<ApiKey, 'id' | 'accountId' | 'clientId' | 'prefix' | 'name'>,
  action: AuditAction,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    accountId: key.accountId,
    clientId: key.clientId,
    action,
    targetType: AuditTargetType.API_KEY,
    targetId: key.id,
    targetPrefix: key.prefix,
    targetName: key.name,
    details,
  };
}
