import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { AuthRequirement, fieldRequirement } from '../../src/shared/auth.directives';
import { Permission } from '../../src/shared/permission';
import { buildKeywardSchema } from '../../src/app/build-schema';
import { PRINCIPALS, Rule } from './isolation.model';
import { rowsOf } from './isolation.runner';
import { ISOLATION_FILES, OPERATIONS } from './operations.table';

/** The schema's rule in the table's words (permissions by their GraphQL names). */
function asRule(requirement: AuthRequirement | undefined): Rule | undefined {
  if (requirement?.kind !== 'permission') return requirement;
  const name = (Object.keys(Permission) as Array<keyof typeof Permission>).find((key) =>
    [Permission[key] as string, key as string].includes(requirement.permission),
  );
  return { kind: 'permission', permission: name!, operatorToo: requirement.operatorToo === true };
}

describe('the isolation matrix covers the whole schema', () => {
  let schema: GraphQLSchema;
  let operations: Array<{ key: string; type: GraphQLObjectType; name: string }>;

  beforeAll(async () => {
    schema = await buildKeywardSchema();
    operations = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
      Object.keys(type.getFields()).map((name) => ({ key: `${type.name}.${name}`, type, name })),
    );
  });

  it('has rows for every query and mutation, and none for operations the schema does not have', () => {
    const missing = operations.map((o) => o.key).filter((key) => !OPERATIONS.has(key));
    const stale = [...OPERATIONS.keys()].filter((key) => !operations.some((o) => o.key === key));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('declares for each operation the rule the schema enforces', () => {
    const disagreements = operations.flatMap(({ key, type, name }) => {
      const declared = asRule(fieldRequirement(schema, type, type.toConfig().fields[name]));
      const tabled = OPERATIONS.get(key)?.rule;
      const normal = (rule: Rule | undefined) => (rule?.kind === 'permission' ? { ...rule, operatorToo: rule.operatorToo === true } : rule);
      return JSON.stringify(normal(declared)) === JSON.stringify(normal(tabled)) ? [] : [{ key, declared, tabled }];
    });
    expect(disagreements).toEqual([]);
  });

  it.each([...OPERATIONS.entries()])('%s is tried by every principal, on every target', (_key, op) => {
    const rows = rowsOf(op);
    for (const target of op.targets) {
      const askers = new Set(rows.filter((r) => r.target === target).map((r) => r.principal.name));
      expect([...askers]).toEqual(PRINCIPALS.map((p) => p.name));
    }
  });

  it('has an explicit row set for the public operations too', () => {
    const publicOps = operations.filter(
      ({ type, name }) => fieldRequirement(schema, type, type.toConfig().fields[name])?.kind === 'public',
    );
    expect(publicOps.map((o) => o.key)).toEqual(expect.arrayContaining(['Query.permissions', 'Query.viewer']));
    for (const { key } of publicOps) expect(OPERATIONS.get(key)?.rule).toEqual({ kind: 'public' });
  });

  it('runs every operation in exactly one test file', () => {
    const placed = Object.values(ISOLATION_FILES).flat();
    const unplaced = [...OPERATIONS.keys()].filter((key) => !placed.includes(key));
    const twice = placed.filter((key, i) => placed.indexOf(key) !== i);
    const unknown = placed.filter((key) => !OPERATIONS.has(key));
    const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.ts'));
    const described = files.flatMap((name) =>
      [...readFileSync(join(__dirname, name), 'utf8').matchAll(/describeIsolation\('([^']+)'\)/g)].map((m) => m[1]),
    );
    expect({ unplaced, twice, unknown, described: described.sort() }).toEqual({
      unplaced: [],
      twice: [],
      unknown: [],
      described: Object.keys(ISOLATION_FILES).sort(),
    });
  });
});
