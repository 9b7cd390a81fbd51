import { runCli } from '../../src/cli/cli';

/** Runs the CLI in-process, as a shell would, and returns its exit code and what it printed. */
export async function runCliCaptured(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}
