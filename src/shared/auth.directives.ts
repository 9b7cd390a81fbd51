import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLFieldConfig,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
} from 'graphql';
import { ForbiddenError, UnauthenticatedError } from './errors';
import { Permission } from './permission';
import { Caller } from './caller';
import { DEVELOPER_ROLES, holds, isDeveloperRole, Principal } from './principal';

/** What a field demands of its caller, read from its (or its type's) directive. */
export type AuthRequirement =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'operator' }
  /** `operatorToo`: the platform operator may as well (e.g. verifyApiKey, which the platform's services call for every tenant). */
  | { kind: 'permission'; permission: Permission; operatorToo?: boolean };

export function authDirectiveDefinitions(permissionEnum: GraphQLEnumType): GraphQLDirective[] {
  const locations = [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT];
  return [
    new GraphQLDirective({
      name: 'auth',
      description:
        'Who may resolve this field (on a type: each of its fields without a rule of its own). ' +
        'No argument: any authenticated caller. `requires`: a caller holding that permission. ' +
        '`operator`: the platform operator only; with `requires`, the operator as well as callers holding the permission.',
      locations,
      args: {
        requires: { type: permissionEnum },
        operator: { type: GraphQLBoolean },
      },
    }),
    new GraphQLDirective({
      name: 'public',
      description: 'Readable without credentials (on a type: each of its fields without a rule of its own).',
      locations,
    }),
  ];
}

/** Adds the directive definitions to a schema whose types already carry them as AST. */
export function withAuthDirectiveDefinitions(schema: GraphQLSchema): GraphQLSchema {
  const permissionEnum = schema.getType('Permission');
  if (!isEnumType(permissionEnum)) throw new Error('schema has no Permission enum');
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, ...authDirectiveDefinitions(permissionEnum)] });
}

export function readRequirement(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): AuthRequirement | undefined {
  if (getDirective(schema, node, 'public')?.length) return { kind: 'public' };
  const auth = getDirective(schema, node, 'auth')?.[0];
  if (!auth) return undefined;
  if (auth.requires) return { kind: 'permission', permission: auth.requires as Permission, operatorToo: auth.operator === true };
  if (auth.operator === true) return { kind: 'operator' };
  return { kind: 'authenticated' };
}

/** The field's own rule, else its type's. Undefined means nobody declared one. */
export function fieldRequirement(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  field: GraphQLFieldConfig<unknown, unknown>,
): AuthRequirement | undefined {
  return readRequirement(schema, field) ?? readRequirement(schema, type);
}

export function assertAllowed(principal: Principal, requirement: AuthRequirement): void {
  switch (requirement.kind) {
    case 'public':
      return;
    case 'authenticated':
      if (principal.kind === 'anonymous') throw new UnauthenticatedError();
      return;
    case 'operator':
      if (principal.kind === 'anonymous') throw new UnauthenticatedError();
      if (principal.kind !== 'operator') throw new ForbiddenError('Only the platform operator may do this');
      return;
    case 'permission':
      if (principal.kind === 'anonymous') throw new UnauthenticatedError();
      if (requirement.operatorToo && principal.kind === 'operator') return;
      if (!holds(principal, requirement.permission)) throw new ForbiddenError(missingPermission(principal, requirement.permission));
  }
}

/**
 * A dashboard user's permissions come from the token's roles, so "needs
 * keys:read" alone leaves the user nothing to ask for: name the role too.
 */
function missingPermission(principal: Principal, permission: Permission): string {
  const needs = `This needs the ${permission} permission`;
  if (principal.kind !== 'user' || principal.roles.some(isDeveloperRole)) return needs;
  const [role, ...alternatives] = DEVELOPER_ROLES;
  return (
    `${needs}, which a dashboard user holds only with the ${role} role (or ${alternatives.join(' or ')}): ` +
    "this token's roles claim has none of them"
  );
}

/** What the enforcement needs of a resolver's context: who is calling. */
export interface HasCaller {
  caller: Caller;
}

/**
 * Wraps every object field's resolver with its declared rule. A field with no
 * rule at all is a programming error: refuse to build the schema (fail closed).
 */
export function enforceAuthDirectives(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      if (typeName.startsWith('__')) return field;
      const type = schema.getType(typeName) as GraphQLObjectType;
      const requirement = fieldRequirement(schema, type, field);
      if (!requirement) throw new Error(`${typeName}.${fieldName} declares neither @auth nor @public`);
      if (requirement.kind === 'public') return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve(source, args, context: HasCaller, info) {
          assertAllowed(context.caller.principal, requirement);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
