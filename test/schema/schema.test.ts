import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema as buildFromSdl, GraphQLObjectType, GraphQLSchema, isObjectType } from 'graphql';
import { enforceAuthDirectives, fieldRequirement } from '../../src/shared/auth.directives';
import { buildKeywardSchema, printKeywardSchema } from '../../src/app/build-schema';

describe('the GraphQL schema', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    schema = await buildKeywardSchema();
  });

  it('matches schema/schema.graphql (run `npm run schema` after changing the API)', () => {
    const committed = readFileSync(join(__dirname, '../../schema/schema.graphql'), 'utf8');
    expect(printKeywardSchema(schema)).toBe(committed);
  });

  it('declares @auth or @public for every field of every object type', () => {
    const undeclared: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const [name, field] of Object.entries(type.toConfig().fields)) {
        if (!fieldRequirement(schema, type as GraphQLObjectType, field)) undeclared.push(`${type.name}.${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('declares a rule on every query and mutation itself, not only through a type', () => {
    for (const root of [schema.getQueryType(), schema.getMutationType()]) {
      for (const field of Object.values(root!.getFields())) {
        expect([field.name, field.astNode?.directives?.map((d) => d.name.value)]).toEqual([
          field.name,
          expect.arrayContaining([expect.stringMatching(/^(auth|public)$/)]),
        ]);
      }
    }
  });

  it('refuses to build a schema with a field that declares nothing', () => {
    const sdl = `
      directive @auth(requires: String, operator: Boolean) on FIELD_DEFINITION | OBJECT
      directive @public on FIELD_DEFINITION | OBJECT
      type Query { open: String @public  forgotten: String }`;
    expect(() => enforceAuthDirectives(buildFromSdl(sdl))).toThrow('Query.forgotten declares neither @auth nor @public');
  });

  it('shows the permission each key operation needs', () => {
    const printed = printKeywardSchema(schema);
    expect(printed).toContain('createApiKey(input: CreateApiKeyInput!): CreatedApiKey! @auth(requires: KEYS_WRITE)');
    // Nullable, as every root query field is: a refused one leaves its siblings' data.
    expect(printed).toMatch(/apiKeys\([^)]*\): ApiKeyConnection @auth\(requires: KEYS_READ\)/s);
    expect(printed).toContain('createAccount(input: CreateAccountInput!): CreatedAccount! @auth(operator: true)');
  });

  it('never exposes a hash', () => {
    expect(printKeywardSchema(schema)).not.toMatch(/hash/i);
  });
});
