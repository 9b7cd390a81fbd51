import { coversScope, missingScopes, NO_SCOPES, SCOPES_COLUMN, sharedScopes } from '../../src/scopes/key-scopes';

/* The pure pieces of a key's scopes: what covers what, the column, and the lists the cache shares. */
describe('a key’s platform scopes', () => {
  it('covers a scope by its name or its resource’s wildcard, never a wildcard by a name', () => {
    const held = ['billing:*', 'invoices:read', 'reports.v2:export'];
    expect(['invoices:read', 'billing:refund', 'billing:*', 'reports.v2:export'].every((s) => coversScope(held, s))).toBe(true);
    expect(['invoices:write', 'invoices:*', 'reports:export', 'bill:refund'].some((s) => coversScope(held, s))).toBe(false);
    expect(coversScope(NO_SCOPES, 'invoices:read')).toBe(false);
    expect(missingScopes(held, ['invoices:write', 'billing:x', 'reports:read'])).toEqual(['invoices:write', 'reports:read']);
  });

  it('stores a list as one comma-joined value, NULL for none', () => {
    expect(SCOPES_COLUMN.to(['a:b', 'c:*'])).toBe('a:b,c:*');
    expect(SCOPES_COLUMN.to([])).toBeNull();
    expect(SCOPES_COLUMN.from(null)).toEqual([]);
    expect(SCOPES_COLUMN.from('a:b,c:*')).toEqual(['a:b', 'c:*']);
  });

  it('shares one frozen list per distinct set, and the one empty list for keys without', () => {
    const first = sharedScopes(['a:read', 'b:write']);
    expect(sharedScopes(['a:read', 'b:write'])).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(sharedScopes([])).toBe(NO_SCOPES);
    expect(sharedScopes(undefined)).toBe(NO_SCOPES);
  });
});
