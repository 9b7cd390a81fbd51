import { MemoryKeyUseLedger } from '../../src/rate-limits/key-use-ledger.memory';
import { keyUseRules } from '../../src/rate-limits/key-use-rules';
import { ApiKeyKind } from '../../src/shared/api-key-kind';

const DURATION_MS = 60_000;
const LIMIT = 10;

const rules = keyUseRules({
  id: 1,
  prefix: 'sk_00000001',
  accountId: 1,
  clientId: null,
  kind: ApiKeyKind.ADMIN,
  createdAt: new Date(0),
  rateLimits: [{ name: 'calls', limit: LIMIT, durationSeconds: DURATION_MS / 1000 }],
})!;
const demand = { credits: 0, limits: [{ rule: rules.limits[0], cost: 1 }] };

/*
 * A named limit's window slides: no interval one duration long ever holds
 * more than the limit, wherever it starts, unlike fixed windows, which let
 * the limit through before an edge and again after it.
 */
describe('named limits slide', () => {
  it('refuse a burst just after a fixed window edge when one came just before it', () => {
    const ledger = new MemoryKeyUseLedger();
    const edge = 100 * DURATION_MS;
    for (let i = 0; i < LIMIT; i++) expect(ledger.charge(rules, demand, true, edge - 500).allowed).toBe(true);
    expect(ledger.charge(rules, demand, true, edge + 500).allowed).toBe(false);
    expect(ledger.charge(rules, demand, true, edge + DURATION_MS - 1000).allowed).toBe(false);
    // Whole again within one duration and a bucket of the burst.
    expect(ledger.charge(rules, demand, true, edge - 500 + DURATION_MS + DURATION_MS / 60).allowed).toBe(true);
  });

  it('never admit more than the limit in any interval one duration long, under random traffic', () => {
    const ledger = new MemoryKeyUseLedger();
    let now = 1_000_000;
    const admitted: number[] = [];
    for (let i = 0; i < 5000; i++) {
      now += Math.floor(Math.random() * 2000);
      if (ledger.charge(rules, demand, true, now).allowed) admitted.push(now);
    }
    let start = 0;
    for (let end = 0; end < admitted.length; end++) {
      while (admitted[end] - admitted[start] >= DURATION_MS) start++;
      expect(end - start + 1).toBeLessThanOrEqual(LIMIT);
    }
    expect(admitted.length).toBeGreaterThan(LIMIT * 20);
  });

  it('a refused charge says when it would fit: once enough admitted uses leave the window', () => {
    const ledger = new MemoryKeyUseLedger();
    for (let i = 0; i < LIMIT; i++) ledger.charge(rules, demand, true, 10 * DURATION_MS + i * 3000);
    const refused = ledger.charge(rules, demand, true, 10 * DURATION_MS + 40_000);
    expect(refused.allowed).toBe(false);
    const fitsAt = refused.limits[0].resetAtMs;
    expect(ledger.charge(rules, demand, true, fitsAt - 1).allowed).toBe(false);
    expect(ledger.charge(rules, demand, true, fitsAt).allowed).toBe(true);
  });
});

describe('a named limit given another duration', () => {
  it('counts afresh rather than reading buckets of another size', () => {
    const ledger = new MemoryKeyUseLedger();
    const now = 1_000 * DURATION_MS;
    for (let i = 0; i < LIMIT; i++) ledger.charge(rules, demand, true, now);
    const longer = keyUseRules({
      id: 1,
      prefix: 'sk_00000001',
      accountId: 1,
      clientId: null,
      kind: ApiKeyKind.ADMIN,
      createdAt: new Date(0),
      rateLimits: [{ name: 'calls', limit: LIMIT, durationSeconds: 3600 }],
    })!;
    expect(ledger.charge(longer, { credits: 0, limits: [{ rule: longer.limits[0], cost: 1 }] }, true, now).allowed).toBe(true);
  });
});
