import { lastUsedUpdate } from '../../src/usage/last-used.statement';

const NAMES = { table: '"api_keys"', id: '"id"', lastUsedAt: '"last_used_at"', lastUsedIp: '"last_used_ip"' };

describe('lastUsedUpdate', () => {
  it('writes a whole batch in one parameterised statement that only moves last_used_at forward', () => {
    const { sql, params } = lastUsedUpdate(NAMES, [
      { id: 7, at: 'T7', ip: '10.0.0.7' },
      { id: 9, at: 'T9', ip: null },
    ]);
    expect(sql).toBe(
      'UPDATE "api_keys" SET "last_used_ip" = CASE "id" WHEN ? THEN ? WHEN ? THEN ? END, ' +
        '"last_used_at" = CASE "id" WHEN ? THEN ? WHEN ? THEN ? END ' +
        'WHERE "id" IN (?, ?) AND ("last_used_at" IS NULL OR "last_used_at" < CASE "id" WHEN ? THEN ? WHEN ? THEN ? END)',
    );
    expect(params).toEqual([7, '10.0.0.7', 9, null, 7, 'T7', 9, 'T9', 7, 9, 7, 'T7', 9, 'T9']);
    expect(sql.split('?')).toHaveLength(params.length + 1);
  });

  it('refuses an empty batch rather than write a statement that matches nothing', () => {
    expect(() => lastUsedUpdate(NAMES, [])).toThrow();
  });
});
