import { dirname, resolve } from 'node:path';
import { DatabaseKind, databaseKind, redactUrl } from './data-source';

/** The fields of a driver's or the system's error that say what went wrong. */
interface SystemError {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  sqlMessage?: unknown;
  /** mysql2 marks the errors that ended its connection; ioredis's and others' lack it. */
  fatal?: unknown;
  cause?: unknown;
}

const ACCESS_DENIED = ['ER_ACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 'ER_DBACCESS_DENIED_ERROR'];
const FILE_REFUSED = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT'];

/**
 * One line that tells an operator what to change when the database cannot be
 * opened (the server's start and the CLI both say it), instead of a driver's
 * stack trace; null for an error this does not recognise, whose stack is then
 * worth showing.
 */
export function explainDatabaseFailure(error: unknown, databaseUrl: string): string | null {
  const failure = findCoded(error);
  if (!failure) return null;
  let kind: DatabaseKind;
  try {
    kind = databaseKind(databaseUrl);
  } catch {
    return null; // The URL itself is wrong, and that error says so.
  }
  return kind === 'mysql' ? explainMysql(failure, databaseUrl) : explainSqlite(failure, databaseUrl);
}

function explainMysql(failure: SystemError, databaseUrl: string): string | null {
  const code = String(failure.code);
  const where = describeServer(databaseUrl);
  if (code === 'ER_BAD_DB_ERROR') {
    const name = databaseName(databaseUrl);
    return (
      `database "${name}" does not exist on ${where}: create it (CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4) ` +
      `or point DATABASE_URL at an existing one`
    );
  }
  if (ACCESS_DENIED.includes(code)) {
    return `${where} refused the login (${String(failure.sqlMessage ?? code)}): check the user and password in DATABASE_URL`;
  }
  // A network error is the database's only if mysql2 raised it (Redis, say, fails the same way).
  if (failure.fatal !== true) return null;
  if (code === 'ECONNREFUSED') return `nothing answers at ${where}: start the database there, or fix the host and port in DATABASE_URL`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of ${where} is not known: fix DATABASE_URL`;
  if (code === 'ETIMEDOUT') return `${where} did not answer in time: check DATABASE_URL and the network between them`;
  return null;
}

function explainSqlite(failure: SystemError, databaseUrl: string): string | null {
  const code = String(failure.code);
  const file = resolve(databaseUrl.slice('sqlite:'.length));
  // A file error is the database's only on its path: the file, its -wal and -shm, or a directory above it.
  const path = typeof failure.path === 'string' ? resolve(failure.path) : null;
  const ours = path !== null && (file.startsWith(path) || path.startsWith(dirname(file)));
  if (code !== 'SQLITE_CANTOPEN' && !(FILE_REFUSED.includes(code) && ours)) return null;
  return (
    `cannot create or open ${path ?? file} (${code}): make its directory writable by this user, ` +
    `or set DATABASE_URL to sqlite:<a writable path> (or mysql://…)`
  );
}

/** The first error in the `cause` chain that carries a code (the CLI wraps what the driver threw). */
function findCoded(error: unknown): SystemError | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const candidate = current as SystemError;
    if (typeof candidate.code === 'string') return candidate;
    current = candidate.cause;
  }
  return null;
}

function describeServer(databaseUrl: string): string {
  try {
    return `the MySQL server at ${new URL(databaseUrl).host}`;
  } catch {
    return redactUrl(databaseUrl); // Unparsable: name it as given, without its password.
  }
}

function databaseName(databaseUrl: string): string {
  try {
    return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  } catch {
    return databaseUrl;
  }
}
