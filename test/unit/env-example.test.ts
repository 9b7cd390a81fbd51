import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';

/** The settings in .env.example, in order, with the value each is given there. */
function envExample(): Map<string, string> {
  const text = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
  const settings = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    // Each setting says in one line what it is for.
    expect(lines[index - 1]).toMatch(/^# \S/);
    settings.set(match[1], match[2]);
  });
  return settings;
}

/** Every variable loadConfig reads, found by watching it read an empty environment. */
function settingsRead(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_target, name) => {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadConfig(env);
  return [...read].sort();
}

describe('.env.example', () => {
  it('lists every setting the server reads, and nothing else', () => {
    expect([...envExample().keys()].sort()).toEqual(settingsRead());
  });

  it('gives each its default: loaded as an environment, it changes nothing', () => {
    expect(loadConfig(Object.fromEntries(envExample()))).toEqual(loadConfig({}));
  });
});
