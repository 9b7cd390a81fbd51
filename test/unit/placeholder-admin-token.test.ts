import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('PLATFORM_ADMIN_TOKEN', () => {
  it.each([
    'change-me-to-a-long-random-string',
    'CHANGEME-0123456789abcdef',
    'change_me_please_0123456789',
    'Example-operator-token-123',
    'placeholder-token-0123456789',
  ])('refuses the well-known placeholder %s, so a copied example never runs as a credential', (token) => {
    expect(() => loadConfig({ PLATFORM_ADMIN_TOKEN: token })).toThrow(ConfigError);
    expect(() => loadConfig({ PLATFORM_ADMIN_TOKEN: token })).toThrow(/PLATFORM_ADMIN_TOKEN is a placeholder/);
  });

  it('takes a long random token, and one that only contains such a word', () => {
    const random = randomBytes(32).toString('hex');
    expect(loadConfig({ PLATFORM_ADMIN_TOKEN: random }).platformAdminToken).toBe(random);
    expect(loadConfig({ PLATFORM_ADMIN_TOKEN: `${random}-example` }).platformAdminToken).toBe(`${random}-example`);
  });

  it('still refuses a short one', () => {
    expect(() => loadConfig({ PLATFORM_ADMIN_TOKEN: 'short' })).toThrow(/at least 16 characters/);
  });
});
