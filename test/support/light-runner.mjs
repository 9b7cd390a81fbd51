// jest-light-runner, with each file's perfStats measured from the moment a
// worker takes the file to the moment its result is back, module loading
// included (the runner's own start is taken after the file is loaded), so the
// JSON report's file times mean what they mean under jest's default runner.
import { createRunner } from 'jest-light-runner';

const LightRunner = createRunner();

export default class TimedLightRunner extends LightRunner {
  runTests(tests, watcher, onStart, onResult, onFailure) {
    const started = new Map();
    const start = (test) => {
      started.set(test.path, Date.now());
      return onStart(test);
    };
    const result = (test, outcome) => {
      const end = Date.now();
      const begin = started.get(test.path) ?? end;
      const perfStats = { ...outcome.perfStats, start: begin, end, runtime: end - begin };
      return onResult(test, { ...outcome, perfStats });
    };
    return super.runTests(tests, watcher, start, result, onFailure);
  }
}
