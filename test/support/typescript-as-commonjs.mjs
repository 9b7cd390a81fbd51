// Loader hook: a `.ts` URL (a test file, which the runner imports with a query) is
// CommonJS; with no source given, Node loads it with require and its hooks.
export async function load(url, context, nextLoad) {
  if (/\.ts(?:\?|$)/.test(url)) return { format: 'commonjs', shortCircuit: true };
  return nextLoad(url, context);
}
