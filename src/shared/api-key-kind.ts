import { registerEnumType } from 'type-graphql';

export enum ApiKeyKind {
  ADMIN = 'ADMIN',
  CLIENT = 'CLIENT',
}

registerEnumType(ApiKeyKind, {
  name: 'ApiKeyKind',
  description: 'ADMIN keys act for the whole account; CLIENT keys for one client sub-account.',
});

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'EXPIRED wins over INACTIVE: an expired key can never work again.',
});
