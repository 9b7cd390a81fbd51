import { generateKey } from '../../src/api-keys/key-material';
import { ApiKeyKind } from '../../src/shared/api-key-kind';
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

/**
 * Prefixes are random; when a new one clashes with an existing one (MySQL
 * compares them without case), keyward draws again instead of failing.
 */
describe('a clashing random prefix', () => {
  // The server draws its key material through this one, so a test can make the next draws clash.
  const drawKey = jest.fn(generateKey);
  const t = useTestServer({}, { generateKey: drawKey });

  /** The next `times` draws reuse an existing prefix; later draws are real. */
  function clashWith(prefix: string, times: number) {
    drawKey.mockClear();
    for (let i = 0; i < times; i++) {
      drawKey.mockImplementationOnce((kind: ApiKeyKind) => ({ ...generateKey(kind), prefix }));
    }
    return drawKey;
  }

  it('is drawn again when creating a key', async () => {
    const spy = clashWith(t.account.primary.prefix, 2);
    const created = await t.seed.key(t.account.primary.secret, { name: 'after a clash' });
    expect(created.prefix).not.toBe(t.account.primary.prefix);
    expect(spy).toHaveBeenCalledTimes(3);
    const me = await t.call(created.secret, '{ viewer { prefix } }');
    expect(dataOf(me).viewer.prefix).toBe(created.prefix);
  });

  it('is drawn again when resetting a key', async () => {
    const key = await t.seed.key(t.account.primary.secret, { name: 'to reset' });
    clashWith(t.account.primary.prefix, 1);
    const res = await t.call(t.account.primary.secret, 'mutation($id: ID!) { resetApiKey(id: $id) { secret apiKey { prefix } } }', {
      id: key.id,
    });
    const { secret, apiKey } = dataOf(res).resetApiKey;
    expect(apiKey.prefix).not.toBe(t.account.primary.prefix);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
  });
});
