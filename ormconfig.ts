import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/config';
import { dataSourceOptions } from './src/db/data-source';
import { ENTITIES } from './src/services/entities';

/**
 * The DataSource for TypeORM's own CLI (`npx typeorm -d dist/ormconfig.js migration:show`).
 * Point it at MariaDB with DATABASE_URL=mariadb://… so TypeORM reads that catalogue correctly.
 * `keyward migrate` is the everyday way to apply migrations.
 */
const url = loadConfig().databaseUrl;
export default new DataSource(dataSourceOptions(url, { entities: ENTITIES }, url.startsWith('mariadb:') ? 'mariadb' : 'mysql'));
