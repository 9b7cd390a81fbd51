// What jest's own runner does and jest-light-runner does not, put back on the globals the test
// files declare with (set up after the runner's, before each file loads):
// - timeouts: a test or hook that runs past its timeout (its own, or jest.config.js's
//   testTimeout) fails, where the light runner would wait for it forever;
// - skipped describes: the light runner reports one as a single pending entry, jest reports
//   each test in it; declared as a plain describe whose tests are skipped and whose hooks never
//   run, they count in JSON reports as they always have.
import { createRequire } from 'node:module';
import { bind } from 'jest-each';

const require = createRequire(import.meta.url);
const { testTimeout } = require('../../jest.config.js');
const HOOKS = ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'];
const runner = Object.fromEntries(['describe', 'it', ...HOOKS].map((name) => [name, globalThis[name]]));

function timed(fn, what, ms = testTimeout) {
  if (typeof fn !== 'function') return fn;
  return function () {
    let timer;
    const overdue = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${ms} ms for a ${what}.`)), ms);
    });
    return Promise.race([Promise.resolve().then(() => fn.call(this)), overdue]).finally(() => clearTimeout(timer));
  };
}

const timedTest = (declare) => (name, fn, timeout) => declare(name, timed(fn, 'test', timeout), timeout);
const only = timedTest(runner.it.only);
const it = Object.assign(timedTest(runner.it), { only, skip: runner.it.skip, todo: runner.it.todo, each: null });
it.each = bind(it);
only.each = bind(only);

const skippedTest = Object.assign((...args) => runner.it.skip(...args), {
  only: runner.it.skip,
  skip: runner.it.skip,
  todo: runner.it.todo,
  each: runner.it.skip.each,
});
const skippedDescribe = Object.assign((name, body) => runner.describe(name, () => declareSkipped(body)), {
  each:
    (...table) =>
    (name, body) =>
      runner.describe.each(...table)(name, (...args) => declareSkipped(() => body(...args))),
});
skippedDescribe.only = skippedDescribe.skip = skippedDescribe;

const timedGlobals = {
  it,
  test: it,
  fit: only,
  xit: skippedTest,
  xtest: skippedTest,
  xdescribe: skippedDescribe,
  ...Object.fromEntries(HOOKS.map((hook) => [hook, (fn, timeout) => runner[hook](timed(fn, 'hook', timeout), timeout)])),
};
const skippedGlobals = {
  describe: skippedDescribe,
  fdescribe: skippedDescribe,
  xdescribe: skippedDescribe,
  ...Object.fromEntries(['it', 'test', 'fit', 'xit', 'xtest'].map((name) => [name, skippedTest])),
  ...Object.fromEntries(HOOKS.map((hook) => [hook, () => undefined])),
};

function declareSkipped(body) {
  const saved = Object.fromEntries(Object.keys(skippedGlobals).map((name) => [name, globalThis[name]]));
  Object.assign(globalThis, skippedGlobals);
  try {
    body();
  } finally {
    Object.assign(globalThis, saved);
  }
}

runner.describe.skip = skippedDescribe;
Object.assign(globalThis, timedGlobals);
