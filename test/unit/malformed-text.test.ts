import { malformedTextAt } from '../../src/shared/text';

describe('malformedTextAt: where a request body holds half a character', () => {
  it('names the first offending string, or key, by its path', () => {
    expect(malformedTextAt({ a: 'fine', b: { c: ['x', 'y\udc00'] } })).toBe('b.c.1');
    expect(malformedTextAt({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(malformedTextAt('\ud800')).toBe('body');
  });

  it('accepts whole characters, surrogate pairs included', () => {
    expect(malformedTextAt({ name: 'Rocket \u{1F680}', list: ['é', 1, null, true] })).toBeNull();
  });

  it('walks 50,000 levels of nesting without recursion', () => {
    let deep: unknown = '\ud800';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(malformedTextAt({ variables: { x: deep } })?.startsWith('variables.x.0.0')).toBe(true);
  });
});
