import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { AuthRequirement, fieldRequirement, readRequirement } from '../shared/auth.directives';

/**
 * Introspection carries descriptions but not applied directives, so an
 * explorer's docs pane cannot see `@auth(requires: …)`. This copies each rule —
 * read by the same functions that enforce it — to the end of the description
 * of whatever declares it, so the docs say what the resolvers check:
 *
 * - a query or mutation: always, public ones included (every entry point says);
 * - a nested field with a rule of its own (e.g. `Client.apiKeys`): on the field;
 * - a type-level rule (`type ApiKey @auth`): once, on the type, as in the SDL,
 *   rather than repeated on each of its fields. Public nested fields get
 *   nothing: they add no rule to the field that reached them.
 */
export function describeAuthRequirements(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const requirement = roots.has(type.name) ? undefined : readRequirement(schema, type);
      if (!requirement || requirement.kind === 'public') return type;
      const config = type.toConfig();
      return new GraphQLObjectType({
        ...config,
        description: appendLine(config.description, `Requires: ${phrase(requirement)}, for each field without a rule of its own.`),
      });
    },
    [MapperKind.OBJECT_FIELD]: (field, _fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const requirement = roots.has(typeName)
        ? fieldRequirement(schema, schema.getType(typeName) as GraphQLObjectType, field)
        : readRequirement(schema, field);
      if (!requirement || (requirement.kind === 'public' && !roots.has(typeName))) return field;
      return { ...field, description: appendLine(field.description, `Requires: ${phrase(requirement)}.`) };
    },
  });
}

/**
 * On a line of its own at the end of the first paragraph: GraphiQL's docs list
 * a type's fields with the first paragraph of each description only.
 */
function appendLine(description: string | null | undefined, line: string): string {
  if (!description) return line;
  const end = description.indexOf('\n\n');
  return end < 0 ? `${description}\n${line}` : `${description.slice(0, end)}\n${line}${description.slice(end)}`;
}

function phrase(requirement: AuthRequirement): string {
  switch (requirement.kind) {
    case 'public':
      return 'nothing (public)';
    case 'authenticated':
      return 'any credential (no particular permission)';
    case 'operator':
      return 'the platform operator';
    case 'permission':
      return requirement.operatorToo ? `\`${requirement.permission}\`, or the platform operator` : `\`${requirement.permission}\``;
  }
}
