import { registerEnumType } from 'type-graphql';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
  EXPIRED = 'EXPIRED',
}

registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'EXPIRED wins over INACTIVE: an expired key can never work again.',
});
