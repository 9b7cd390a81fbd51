import { Clock } from '../../src/shared/clock';

/**
 * The clock a test server reads "now" from: it starts at the real time and
 * moves only when a test says so, so expiry, grace periods and cache
 * lifetimes are tested without waiting for them.
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves time forward by `ms` for everything the server judges by its clock. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
