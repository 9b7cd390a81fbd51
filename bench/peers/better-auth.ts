import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readBody, sendJson, serve } from './listen';

/**
 * The peer: better-auth 1.7 with its api-key plugin, on SQLite (a better-sqlite3
 * file, as keyward's embedded default), each POST /verify answered by
 * `auth.api.verifyApiKey({ body: { key } })`, the call the plugin's docs give
 * for verifying a key on the server. Its schema comes from its own migrations
 * (getMigrations), its user and key from its own API.
 *
 * One change from the defaults: the plugin rate-limits every key (10 requests
 * a day), so the limit is raised to keyward's bench figure, 1,000,000 a minute,
 * and still counted on every verification, as keyward charges its pool.
 * better-auth's own request rate limiter guards auth.handler, not auth.api
 * calls; it is turned off so that nothing here depends on which.
 *
 * The file is opened in WAL mode, as keyward opens its embedded database
 * (PEER_JOURNAL=default: SQLite's rollback journal, better-sqlite3's default).
 *
 * Env: PEER_DB (the SQLite file), PEER_RATE_LIMIT (requests a minute per key).
 * The key's secret goes to the parent in the "ready" message.
 */
async function main(): Promise<void> {
  const file = process.env.PEER_DB;
  if (!file) throw new Error('PEER_DB: the SQLite file better-auth writes');
  const maxRequests = Number(process.env.PEER_RATE_LIMIT ?? 1_000_000);
  const database = new Database(file);
  // As keyward opens its embedded database (src/db/data-source.ts, enableWAL): the same SQLite for both.
  if (process.env.PEER_JOURNAL !== 'default') database.pragma('journal_mode = WAL');
  const auth = betterAuth({
    database,
    secret: randomBytes(32).toString('hex'),
    baseURL: 'http://127.0.0.1',
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [apiKey({ rateLimit: { enabled: true, maxRequests, timeWindow: 60_000 } })],
  });
  const { runMigrations } = await getMigrations(auth.options);
  await runMigrations();

  const { user } = await auth.api.signUpEmail({
    body: { email: 'bench@example.com', password: randomBytes(16).toString('hex'), name: 'Bench' },
  });
  const created = await auth.api.createApiKey({ body: { userId: user.id, name: 'Verified key' } });
  const check = await auth.api.verifyApiKey({ body: { key: created.key } });
  if (!check.valid) throw new Error(`better-auth did not verify its own key: ${JSON.stringify(check.error)}`);

  serve(
    async (req, res) => {
      try {
        const { key } = JSON.parse(await readBody(req));
        const result = await auth.api.verifyApiKey({ body: { key } });
        // A refused key (rate limit included) is not a 200: bench:peers aborts on any other status.
        sendJson(res, result.valid ? 200 : 401, { valid: result.valid, error: result.error?.code ?? null });
      } catch (error) {
        sendJson(res, 500, { error: String(error) });
      }
    },
    { key: created.key },
  );
}

main().catch((error) => {
  process.stderr.write(`better-auth peer failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
