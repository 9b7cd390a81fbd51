import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { LoadResult } from './load';

/** What a figure is worth without: printed at the top of every benchmark. */
export function printMachine(title: string): void {
  const cpu = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? 'unknown';
  const memory = safeRun('free', ['-h']).split('\n')[1]?.trim().replace(/\s+/g, ' ') ?? 'unknown';
  console.log(`# ${title}`);
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`machine: nproc ${availableParallelism()}, CPU ${cpu}, node ${process.version}`);
  console.log(`memory (free -h): ${memory}`);
  // Other work on the machine moves every figure; the ratios, taken in one run, move less.
  console.log(
    `load average before the run: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log('');
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

export const LOAD_HEADERS = ['run', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms'];

export function loadRow(name: string, r: LoadResult): Array<string | number> {
  return [name, r.requests, r.rps.toFixed(0), ms(r.p50), ms(r.p90), ms(r.p99), ms(r.mean)];
}

export function ms(value: number): string {
  return value.toFixed(2);
}

/** `+4.1%`: how much larger `value` is than `base`. */
export function change(value: number, base: number): string {
  const pct = ((value - base) / base) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function safeRun(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' });
  } catch {
    return '';
  }
}
