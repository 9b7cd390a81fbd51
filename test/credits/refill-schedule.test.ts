import { nextRefillAt, RefillInterval, refillPeriodStart } from '../../src/credits/refill';
import { MemoryKeyUseLedger } from '../../src/rate-limits/key-use-ledger.memory';
import { KeyUseService } from '../../src/rate-limits/key-use.service';
import { keyUseRules } from '../../src/rate-limits/key-use-rules';
import { ApiKeyKind } from '../../src/shared/api-key-kind';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('refill periods', () => {
  it('DAILY begins at 00:00 UTC', () => {
    const created = at('2026-03-10T15:00:00Z');
    expect(iso(refillPeriodStart(RefillInterval.DAILY, created, at('2026-03-12T23:59:59.999Z')))).toBe('2026-03-12T00:00:00.000Z');
    expect(iso(nextRefillAt(RefillInterval.DAILY, created, at('2026-03-12T00:00:00Z')))).toBe('2026-03-13T00:00:00.000Z');
  });

  it("MONTHLY begins on the key's creation day, clamped to the month's end", () => {
    const created = at('2026-01-31T18:30:00Z');
    expect(iso(refillPeriodStart(RefillInterval.MONTHLY, created, at('2026-02-15T00:00:00Z')))).toBe('2026-01-31T00:00:00.000Z');
    expect(iso(refillPeriodStart(RefillInterval.MONTHLY, created, at('2026-03-01T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(nextRefillAt(RefillInterval.MONTHLY, created, at('2026-02-15T00:00:00Z')))).toBe('2026-02-28T00:00:00.000Z');
    expect(iso(nextRefillAt(RefillInterval.MONTHLY, created, at('2026-02-28T00:00:00Z')))).toBe('2026-03-31T00:00:00.000Z');
    expect(iso(nextRefillAt(RefillInterval.MONTHLY, created, at('2028-02-10T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
    expect(iso(nextRefillAt(RefillInterval.MONTHLY, at('2026-12-15T00:00:00Z'), at('2026-12-20T00:00:00Z')))).toBe(
      '2027-01-15T00:00:00.000Z',
    );
  });
});

const row = {
  id: 7,
  prefix: 'sk_00000007',
  accountId: 1,
  clientId: null,
  kind: ApiKeyKind.ADMIN,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  remaining: 2,
  refillAmount: null,
  refillInterval: null,
  lastRefillAt: new Date('2026-01-01T00:00:00Z'),
};

describe('credit counts in memory', () => {
  it('a key without credits or limits has no rules at all', () => {
    expect(keyUseRules({ ...row, remaining: null, lastRefillAt: null })).toBeNull();
  });

  it('a row set whole later than the count (updateApiKey) starts the count again; an older one does not', () => {
    const ledger = new MemoryKeyUseLedger();
    const now = at('2026-01-02T00:00:00Z');
    const rules = keyUseRules(row)!;
    expect(ledger.charge(rules, { credits: 2, limits: [] }, true, now)).toMatchObject({ allowed: true, exhausted: true });
    expect(ledger.charge(rules, { credits: 1, limits: [] }, true, now).allowed).toBe(false);
    const stale = keyUseRules({ ...row, remaining: 2 })!;
    expect(ledger.charge(stale, { credits: 1, limits: [] }, true, now).allowed).toBe(false);
    const renewed = keyUseRules({ ...row, remaining: 5, lastRefillAt: new Date('2026-01-01T12:00:00Z') })!;
    expect(ledger.charge(renewed, { credits: 1, limits: [] }, true, now).credits).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('calls onExhausted once, when a use takes the last credit, and notes each count for the write-behind', async () => {
    const exhausted: number[] = [];
    const notes: Array<[number, number]> = [];
    const uses = new KeyUseService(
      {
        keyPrefix: 'test',
        credits: { note: (keyId, remaining) => notes.push([keyId, remaining]) },
        onExhausted: (key) => exhausted.push(key.keyId),
      },
      { now: () => at('2026-01-02T00:00:00Z') },
    );
    const rules = keyUseRules(row)!;
    for (let i = 0; i < 4; i++) uses.charge(rules, { credits: 1, limits: [] }, true);
    await Promise.resolve();
    expect(exhausted).toEqual([7]);
    expect(notes).toEqual([
      [7, 1],
      [7, 0],
    ]);
  });
});
