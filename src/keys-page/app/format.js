const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "in 3 days", "just now". */
export function fromNow(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    // A key made for an hour is "in 1 hour" a second later, not "in 60 minutes".
    if (Math.abs(seconds) >= size * 0.98) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** The exact time, in UTC, for a tooltip: 2026-12-02 13:05:09 UTC. */
export function exactTime(iso) {
  return `${new Date(iso).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function shortDate(iso) {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** API_KEY_PERMISSIONS_UPDATED -> "API key permissions updated". */
export function actionLabel(action) {
  const words = action.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1).replace(/^pi key/, 'PI key');
}

export const STATUS_LABELS = { ACTIVE: 'Active', INACTIVE: 'Inactive', EXPIRED: 'Expired' };
