import { DataSource } from 'typeorm';
import { AccountService } from './accounts/account.service';
import { ApiKeyIssuer } from './api-keys/api-key-issuer.service';
import { ApiKeyLifecycle } from './api-keys/api-key-lifecycle.service';
import { ApiKeyQueries } from './api-keys/api-key-query.service';
import { AuditService } from './audit/audit.service';
import { Authenticator } from './auth/authenticator';
import { KeyVerifier } from './auth/key-verifier';
import { ClientService } from './clients/client.service';
import { Transactor } from './db/transactions';

/** Every domain service, wired once per server. GraphQL, the CLI and REST all call these. */
export interface Services {
  authenticator: Authenticator;
  accounts: AccountService;
  clients: ClientService;
  apiKeyIssuer: ApiKeyIssuer;
  apiKeyLifecycle: ApiKeyLifecycle;
  apiKeyQueries: ApiKeyQueries;
  audit: AuditService;
}

export function createServices(dataSource: DataSource, options: { platformAdminToken?: string }): Services {
  const transactor = new Transactor(dataSource);
  const audit = new AuditService(dataSource);
  const apiKeyIssuer = new ApiKeyIssuer(transactor, audit);
  return {
    authenticator: new Authenticator(new KeyVerifier(dataSource), options.platformAdminToken),
    accounts: new AccountService(dataSource, transactor, audit, apiKeyIssuer),
    clients: new ClientService(dataSource, transactor, audit),
    apiKeyIssuer,
    apiKeyLifecycle: new ApiKeyLifecycle(transactor, audit),
    apiKeyQueries: new ApiKeyQueries(dataSource),
    audit,
  };
}
