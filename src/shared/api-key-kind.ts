import { registerEnumType } from 'type-graphql';

export enum ApiKeyKind {
  ADMIN = 'ADMIN',
  CLIENT = 'CLIENT',
}

registerEnumType(ApiKeyKind, {
  name: 'ApiKeyKind',
  description: 'ADMIN keys act for the whole account; CLIENT keys for one client sub-account.',
});
