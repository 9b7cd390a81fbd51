import { extractCredential } from '../../src/http/credentials';
import { UnauthenticatedError } from '../../src/shared/errors';

const KEY = 'sk_4fQm9ZtX_Wc1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbb';
const OTHER = 'sk_ZZZZZZZZ_Wc1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabbbbbb';

function refusal(run: () => unknown): UnauthenticatedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthenticatedError);
    return error as UnauthenticatedError;
  }
  throw new Error('expected an UnauthenticatedError');
}

describe('extractCredential', () => {
  it('returns null when the request carries no credential', () => {
    expect(extractCredential({})).toBeNull();
    expect(extractCredential({ body: { query: '{ viewer { principal } }' } })).toBeNull();
  });

  it.each([
    ['Authorization: Bearer', { authorization: `Bearer ${KEY}` }],
    ['Authorization with a lower-case scheme and extra spaces', { authorization: `  bearer    ${KEY}  ` }],
    ['X-API-Key', { apiKeyHeader: KEY }],
    ['X-API-Key with surrounding spaces', { apiKeyHeader: `  ${KEY} ` }],
    ['the api_key query parameter', { apiKeyQuery: KEY }],
    ['the api_key body field', { body: { query: '{ viewer { principal } }', api_key: KEY } }],
  ])('finds the credential in %s', (_where, sources) => {
    expect(extractCredential(sources)).toBe(KEY);
  });

  it('accepts the same credential in several places', () => {
    expect(extractCredential({ authorization: `Bearer ${KEY}`, apiKeyHeader: KEY, apiKeyQuery: KEY, body: { api_key: KEY } })).toBe(KEY);
  });

  it.each([
    ['header and X-API-Key', { authorization: `Bearer ${KEY}`, apiKeyHeader: OTHER }],
    ['header and query', { authorization: `Bearer ${KEY}`, apiKeyQuery: OTHER }],
    ['X-API-Key and body', { apiKeyHeader: KEY, body: { api_key: OTHER } }],
    ['query and body', { apiKeyQuery: KEY, body: { api_key: OTHER } }],
  ])('refuses two different credentials (%s)', (_where, sources) => {
    expect(refusal(() => extractCredential(sources)).message).toMatch(/more than one/);
  });

  it.each([
    ['Basic', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['a bare token', KEY],
    ['Bearer with nothing after it', 'Bearer '],
    ['an empty header', ''],
  ])('refuses an Authorization header that is %s', (_case, authorization) => {
    expect(refusal(() => extractCredential({ authorization })).message).toMatch(/Bearer <credential>/);
  });

  it.each([
    ['X-API-Key', { apiKeyHeader: '   ' }],
    ['query parameter', { apiKeyQuery: '' }],
    ['body field', { body: { api_key: '' } }],
  ])('refuses an empty %s', (_where, sources) => {
    expect(refusal(() => extractCredential(sources)).message).toMatch(/empty/);
  });

  it('refuses a repeated query parameter (express parses it as an array)', () => {
    expect(refusal(() => extractCredential({ apiKeyQuery: [KEY, KEY] })).message).toMatch(/single string/);
  });

  it.each([
    ['a number', 42],
    ['an object', { key: KEY }],
    ['an array', [KEY]],
  ])('refuses a body api_key that is %s', (_case, apiKey) => {
    expect(refusal(() => extractCredential({ body: { api_key: apiKey } })).message).toMatch(/single string/);
  });

  it('ignores bodies that are not JSON objects', () => {
    expect(extractCredential({ body: [{ api_key: KEY }] })).toBeNull();
    expect(extractCredential({ body: 'api_key=x' })).toBeNull();
    expect(extractCredential({ body: null })).toBeNull();
  });
});
