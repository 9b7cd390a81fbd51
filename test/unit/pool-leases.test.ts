import { leaseSize, MAX_LEASE, PoolLeases, usedOf } from '../../src/rate-limits/pool-leases';

describe('pool leases', () => {
  const NOW = 1_000_000;

  it('are sized by what the pool has left: none below 32, at most MAX_LEASE', () => {
    expect([leaseSize(-5), leaseSize(0), leaseSize(31), leaseSize(32), leaseSize(100), leaseSize(10_000)]).toEqual([
      0,
      0,
      0,
      1,
      3,
      MAX_LEASE,
    ]);
  });

  it('hand out what they hold, and nothing once the pool is at its limit or the window is over', () => {
    const leases = new PoolLeases();
    leases.keep('p', 33, 32, NOW + 60_000, NOW); // 1 used by the charge that took the lease, 32 held
    expect(usedOf(leases.live('p', NOW)!)).toBe(1);
    expect(leases.take('p', 30, 1000, NOW)?.left).toBe(2);
    expect(leases.take('p', 3, 1000, NOW)).toBeNull(); // holds 2
    expect(leases.take('p', 1, 31, NOW)).toBeNull(); // 31 used of a limit lowered to 31
    expect(leases.take('p', 1, 1000, NOW + 60_000)).toBeNull(); // the window has ended
    expect(leases.live('p', NOW)).toBeNull(); // and the lease is gone
  });

  it('add up within a window, and drop what an older or reset count cannot vouch for', () => {
    const leases = new PoolLeases();
    leases.keep('p', 40, 8, NOW + 1000, NOW);
    expect(leases.keep('p', 60, 5, NOW + 900, NOW)).toEqual({ left: 13, counted: 60, endsAt: NOW + 900 });
    expect(leases.keep('p', 50, 4, NOW + 1000, NOW)).toEqual({ left: 4, counted: 50, endsAt: NOW + 1000 });
  });
});
