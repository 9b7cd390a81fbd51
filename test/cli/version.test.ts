import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli';

function cli(...argv: string[]) {
  return runCliCaptured(argv, {});
}

describe('keyward --version', () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));

  it("prints package.json's version and exits 0, without touching a database", async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect(await cli('-V')).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('is listed in the help', async () => {
    expect((await cli('--help')).out).toContain('--version');
  });
});
