import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * SELECT … FOR UPDATE where the database has row locks (MySQL). SQLite has
 * none and needs none: its transactions already run one at a time (Transactor).
 */
export function forUpdate<T extends ObjectLiteral>(manager: EntityManager, query: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return manager.connection.options.type === 'better-sqlite3' ? query : query.setLock('pessimistic_write');
}
