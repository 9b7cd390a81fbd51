import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs units of work in a transaction. Every write in keyward goes through here.
 *
 * SQLite (better-sqlite3) has one connection, and TypeORM hands every caller
 * the same query runner: two concurrent transactions would silently nest as
 * savepoints. So on SQLite transactions queue behind each other. On MySQL they
 * run in READ COMMITTED, so a count taken after a row lock sees every commit
 * that happened before the lock was granted.
 */
export class Transactor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return this.dataSource.transaction('READ COMMITTED', work);
    }
    const result = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = result.catch(() => undefined);
    return result;
  }
}
