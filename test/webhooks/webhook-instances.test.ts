import { randomBytes } from 'node:crypto';
import { dataOf, graphql } from '../support/graphql';
import { useSpawnedServers } from '../support/harness';
import { ServerProcess, spawnServer } from '../support/server-process';
import { Receiver, verify } from './receiver';
import { CREATE_ENDPOINT } from './webhooks.fixtures';

/** Spawned keyward processes deliver to a local receiver and look for due deliveries every 50 ms. */
const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_POLL_SECONDS: '0.05' };

/*
 * What holds only across processes: several instances behind one MariaDB
 * lease each attempt to one of them (FOR UPDATE SKIP LOCKED), and a process
 * killed with undelivered events, one in flight, loses none of them. SQLite
 * belongs to one process, so the two-instance test runs with
 * TEST_DATABASE_URL only. Real time: the spawned servers read the system clock.
 */
const shared = Boolean(process.env.TEST_DATABASE_URL);

async function endpoints(on: ServerProcess, as: string, receiver: Receiver, count: number) {
  const made: Array<{ id: string; secret: string; path: string }> = [];
  for (let n = 0; n < count; n++) {
    const url = `${receiver.url}?endpoint=${n}`;
    const res = await graphql(on.url, { as, query: CREATE_ENDPOINT, variables: { input: { url, events: ['CLIENT_CREATED'] } } });
    const { endpoint, secret } = dataOf(res).createWebhookEndpoint;
    made.push({ id: endpoint.id, secret, path: new URL(url).pathname + new URL(url).search });
  }
  return made;
}

const createClient = (on: ServerProcess, as: string, name: string) =>
  graphql(on.url, { as, query: 'mutation($name: String!) { createClient(input: { name: $name }) { id } }', variables: { name } }).then(
    dataOf,
  );

(shared ? describe : describe.skip)('two instances deliver each attempt once', () => {
  const t = useSpawnedServers([WEBHOOK_ENV, WEBHOOK_ENV]);
  const [a, b] = t.instances;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(() => receiver.close());

  it('each event reaches each endpoint once per attempt: a first attempt refused, one retry, never both instances at once', async () => {
    const as = t.account.primary.secret;
    const hooks = await endpoints(a, as, receiver, 4);
    const tries = new Map<string, number>();
    // A slow receiver that refuses each first attempt: both instances have work at once, and retries to lease.
    receiver.answer = async (delivery) => {
      const key = `${delivery.path} ${delivery.id}`;
      tries.set(key, (tries.get(key) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return tries.get(key) === 1 ? 503 : 204;
    };
    const EVENTS = 12;
    for (let i = 0; i < EVENTS; i++) await createClient(i % 2 === 0 ? a : b, as, `Client ${i}`);
    await receiver.until(() => receiver.accepted().length === EVENTS * hooks.length, 30_000);

    const perAttempt = new Map<string, number>();
    for (const d of receiver.deliveries) perAttempt.set(`${d.path} ${d.id}`, (perAttempt.get(`${d.path} ${d.id}`) ?? 0) + 1);
    expect(perAttempt.size).toBe(EVENTS * hooks.length);
    expect([...perAttempt.values()].every((n) => n === 2)).toBe(true);
    expect(receiver.deliveries).toHaveLength(2 * EVENTS * hooks.length);
    for (const d of receiver.accepted()) {
      const hook = hooks.find((h) => h.path === d.path)!;
      expect(verify(d, hook.secret)).toEqual(d.body);
    }
    // In order per endpoint: the events of one endpoint were accepted in the order the clients were made.
    for (const hook of hooks) {
      const names = receiver
        .accepted()
        .filter((d) => d.path === hook.path)
        .map((d) => d.body.data.client.name);
      expect(names).toEqual(Array.from({ length: EVENTS }, (_, i) => `Client ${i}`));
    }
  }, 60_000);
});

// One process at a time here, so this holds on SQLite too (its file outlives the kill).
describe('kill -9 with undelivered events', () => {
  const t = useSpawnedServers([WEBHOOK_ENV]);
  const [first] = t.instances;
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await Receiver.start();
  });
  afterAll(() => receiver.close());

  it('loses none: after a restart every event arrives, the one in flight at most twice with the same webhook-id', async () => {
    const as = t.account.primary.secret;
    const [hook] = await endpoints(first, as, receiver, 1);
    // The receiver holds the first request unanswered: it is in flight, leased, when the process dies.
    receiver.answer = () => new Promise<number>(() => undefined);
    const EVENTS = 8;
    for (let i = 0; i < EVENTS; i++) await createClient(first, as, `Client ${i}`);
    await receiver.until(() => receiver.deliveries.length === 1);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    receiver.answer = () => 204;

    const restarted = await spawnServer({
      ...WEBHOOK_ENV,
      DATABASE_URL: t.database.url,
      PLATFORM_ADMIN_TOKEN: t.operatorToken,
      REDIS_KEY_PREFIX: `keyward-test-${randomBytes(6).toString('hex')}`,
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    });
    try {
      // The in-flight attempt's lease (delivery timeout + 5 s) must run out before another process retries it.
      await receiver.until(() => receiver.accepted().length === EVENTS, 40_000);
    } finally {
      await restarted.terminate();
    }
    const names = receiver.accepted().map((d) => d.body.data.client.name);
    expect(names).toEqual(Array.from({ length: EVENTS }, (_, i) => `Client ${i}`));
    expect(new Set(receiver.accepted().map((d) => d.id)).size).toBe(EVENTS);
    expect(receiver.deliveries.length).toBeLessThanOrEqual(EVENTS + 1);
    if (receiver.deliveries.length === EVENTS + 1) expect(receiver.deliveries[1].id).toBe(receiver.deliveries[0].id);
    for (const d of receiver.accepted()) expect(verify(d, hook.secret)).toEqual(d.body);
  }, 90_000);
});
