import { Writable } from 'node:stream';
import { createLogger, Logger } from '../../src/logging/logger';

export interface CapturedLogs {
  /** Every line the server logged so far, oldest first: one JSON object each. */
  lines: string[];
  logger: Logger;
}

/** A logger for a test server whose lines the test reads back: `useTestServer({}, { logger: logs.logger })`. */
export function capturedLogs(level = 'info'): CapturedLogs {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger(level, sink) };
}
