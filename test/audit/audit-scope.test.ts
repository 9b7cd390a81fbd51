import { useTestServer } from '../support/harness';
import { SeededAccount, SeededKey } from '../support/seed';
import { auditReads } from './audit.fixtures';

/** Whose events a caller reads: a client key its own client's only, an admin key the whole account's. */
describe('audit events', () => {
  const t = useTestServer({}, { account: false });
  const { events, count } = auditReads(t);

  describe('a client key with audit:read', () => {
    let account: SeededAccount;
    let mine: { id: string; name: string };
    let sibling: { id: string; name: string };
    let clientKey: SeededKey;
    let madeByClientKey: SeededKey;
    let siblingKey: SeededKey;
    let adminKey: SeededKey;

    beforeAll(async () => {
      account = await t.seed.account();
      mine = await t.seed.client(account.primary.secret, 'Mine');
      sibling = await t.seed.client(account.primary.secret, 'Sibling');
      clientKey = await t.seed.key(account.primary.secret, {
        clientId: mine.id,
        permissions: ['AUDIT_READ', 'KEYS_READ', 'KEYS_WRITE', 'LEADS_READ'],
      });
      siblingKey = await t.seed.key(account.primary.secret, { clientId: sibling.id, permissions: ['LEADS_READ'] });
      adminKey = await t.seed.key(account.primary.secret, { permissions: ['AUDIT_READ'] });
      madeByClientKey = await t.seed.key(clientKey.secret, { permissions: ['LEADS_READ'] });
    });

    it('sees only its own client’s events', async () => {
      const seen = await events(clientKey.secret);
      expect(seen.map((e) => [e.action, e.targetId])).toEqual([
        ['API_KEY_CREATED', madeByClientKey.id],
        ['API_KEY_CREATED', clientKey.id],
        ['CLIENT_CREATED', mine.id],
      ]);
      expect(seen[0].actor).toBe(clientKey.prefix);
      // The admin key that made it is the account's: a client key reads it as a neutral label.
      expect(seen[1].actor).toBe('account');
    });

    it('finds nothing of the rest of the account, even by filter', async () => {
      for (const filter of [
        { targetId: sibling.id, targetType: 'CLIENT' },
        { targetPrefix: siblingKey.prefix },
        { targetPrefix: adminKey.prefix },
        { targetType: 'ACCOUNT' },
      ]) {
        expect(await events(clientKey.secret, filter)).toEqual([]);
      }
    });

    it('while an admin key with audit:read sees the whole account', async () => {
      const seen = await events(adminKey.secret);
      expect(seen.map((e) => e.targetId)).toEqual(
        expect.arrayContaining([sibling.id, siblingKey.id, adminKey.id, madeByClientKey.id, account.id]),
      );
      expect(seen).toHaveLength(await count(account.primary.secret));
    });
  });
});
