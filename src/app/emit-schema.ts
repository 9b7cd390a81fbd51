import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildKeywardSchema, printKeywardSchema } from './build-schema';

export const SCHEMA_FILE = resolve(__dirname, '../../../schema/schema.graphql');

async function main(): Promise<void> {
  const target = process.argv[2] ?? SCHEMA_FILE;
  writeFileSync(target, printKeywardSchema(await buildKeywardSchema()));
  console.log(`wrote ${target}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
