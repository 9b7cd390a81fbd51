import * as keyMaterial from '../../src/api-keys/key-material';
import { ApiKeyKind } from '../../src/shared/api-key-kind';

jest.mock('../../src/api-keys/key-material', () => {
  const actual = jest.requireActual('../../src/api-keys/key-material');
  return { ...actual, generateKey: jest.fn(actual.generateKey) };
});
import { dataOf } from '../support/graphql';
import { useTestServer } from '../support/harness';

/**
 * Prefixes are random; when a new one clashes with an existing one (MySQL
 * compares them without case), keyward draws again instead of failing.
 */
describe('a clashing random prefix', () => {
  const t = useTestServer();
  const generateKey = keyMaterial.generateKey as jest.MockedFunction<typeof keyMaterial.generateKey>;
  const realGenerate = jest.requireActual('../../src/api-keys/key-material').generateKey as typeof keyMaterial.generateKey;

  /** The next `times` draws reuse an existing prefix; later draws are real. */
  function clashWith(prefix: string, times: number) {
    generateKey.mockClear();
    for (let i = 0; i < times; i++) {
      generateKey.mockImplementationOnce((kind: ApiKeyKind) => ({ ...realGenerate(kind), prefix }));
    }
    return generateKey;
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
