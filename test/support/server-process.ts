import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** SIGTERM, as a process manager would send it; resolves with the exit code. */
  terminate(): Promise<number | null>;
}

const ROOT = join(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 60_000;

/**
 * A real `keyward` process: src/main.ts compiled on the fly by
 * @swc-node/register, so it always runs the code under test (never a stale
 * dist/). Configured through its environment, like production.
 */
export function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`keyward did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /keyward listening on (http:\/\/\S+?)\/graphql/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({
          url: listening[1],
          child,
          output: () => output,
          terminate: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`keyward exited with ${code} before listening:\n${output}`));
    });
  });
}
