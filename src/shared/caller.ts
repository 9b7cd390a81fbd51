import { Principal } from './principal';

/**
 * A principal plus where the request came from. Services take the caller
 * explicitly (`apiKeys.revoke(caller, id, reason)`) so the rules and the audit
 * trail never depend on ambient state.
 */
export interface Caller {
  principal: Principal;
  ip: string | null;
  userAgent: string | null;
}
