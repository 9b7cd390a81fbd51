import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/**
 * CPU time a process has used so far, all its threads (the JIT and the
 * garbage collector's helpers too), in microseconds, from Linux's
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds on the CPU); null where
 * that does not exist. Read before and after a run, it gives the server's
 * CPU per request, which a slower or busier load generator does not move.
 */
export function cpuMicros(pid: number): number | null {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let nanoseconds = 0;
  for (const tid of threads) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read has nothing left to count.
    }
  }
  return nanoseconds / 1000;
}

/**
 * Gives the server its own core and the load generator (this process) the
 * others, with taskset, so the two never take turns on one core and the
 * scheduler does not move them around mid-run. Returns what it did, for the
 * report: nothing on a single core or without taskset.
 */
export function pinApart(serverPid: number): string {
  // All the machine's cores, not availableParallelism(): that counts only the cores this
  // process may use, one once an earlier call pinned it.
  const cores = cpus().length;
  if (cores < 2) return 'not pinned (one core)';
  const last = cores - 1;
  const others = last === 1 ? '0' : `0-${last - 1}`;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(last), String(serverPid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', others, String(process.pid)], { stdio: 'ignore' });
  } catch {
    return 'not pinned (no taskset)';
  }
  return `server pinned to core ${last}, load generator to core${last === 1 ? '' : 's'} ${others}`;
}
