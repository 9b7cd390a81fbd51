import { registerEnumType } from 'type-graphql';

export enum AuditAction {
  ACCOUNT_CREATED = 'ACCOUNT_CREATED',
  ACCOUNT_UPDATED = 'ACCOUNT_UPDATED',
  CLIENT_CREATED = 'CLIENT_CREATED',
  CLIENT_RENAMED = 'CLIENT_RENAMED',
  API_KEY_CREATED = 'API_KEY_CREATED',
  API_KEY_RENAMED = 'API_KEY_RENAMED',
  API_KEY_PERMISSIONS_UPDATED = 'API_KEY_PERMISSIONS_UPDATED',
  API_KEY_RESET = 'API_KEY_RESET',
  API_KEY_DEACTIVATED = 'API_KEY_DEACTIVATED',
  API_KEY_ACTIVATED = 'API_KEY_ACTIVATED',
  API_KEY_REVOKED = 'API_KEY_REVOKED',
  API_KEY_DELETED = 'API_KEY_DELETED',
}

registerEnumType(AuditAction, { name: 'AuditAction', description: 'What changed.' });

export enum AuditTargetType {
  ACCOUNT = 'ACCOUNT',
  CLIENT = 'CLIENT',
  API_KEY = 'API_KEY',
}

registerEnumType(AuditTargetType, { name: 'AuditTargetType' });
