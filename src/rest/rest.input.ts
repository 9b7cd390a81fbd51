import { validate } from 'class-validator';
import { ClassType } from 'type-graphql';
import { BadUserInputError } from '../shared/errors';
import { firstValidationProblem } from '../shared/validators';
import { parsePermission, Permission } from '../shared/permission';
import { MalformedRequestError } from './rest.errors';

export type JsonObject = Record<string, unknown>;

/**
 * The JSON object a route reads. Anything else is unreadable (400): the body
 * parser only reads `application/json`, so another content type arrives as no
 * body at all. `optional`: no body means `{}`.
 */
export function jsonObject(body: unknown, options: { optional?: boolean } = {}): JsonObject {
  if (body === undefined && options.optional) return {};
  if (body === undefined) throw new MalformedRequestError('Send a JSON object with Content-Type: application/json');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MalformedRequestError('The request body must be a JSON object');
  }
  return body as JsonObject;
}

/** One query-string value; an empty value counts as absent, a repeated one is refused. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as JsonObject)[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadUserInputError(name, `${name} must be given once, as a plain value`);
  return value;
}

/** The credential field src/http/credentials.ts reads from any body and query string. */
const CREDENTIAL_FIELD = 'api_key';

/**
 * The first body field or query parameter `known` lacks, as a 422 naming it
 * as the client wrote it, with what the route takes instead. A body that is
 * not an object is jsonObject's to refuse.
 */
export function unknownField(body: unknown, query: unknown, known: { body: readonly string[]; query: readonly string[] }) {
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
  const field = fields.find((name) => name !== CREDENTIAL_FIELD && !known.body.includes(name));
  if (field !== undefined) return new BadUserInputError(field, `${field} is not a field of this request; ${takes(known.body)}`);
  const parameter = Object.keys(query as JsonObject).find((name) => name !== CREDENTIAL_FIELD && !known.query.includes(name));
  if (parameter !== undefined) {
    return new BadUserInputError(parameter, `${parameter} is not a query parameter of this route; ${takes(known.query)}`);
  }
  return null;
}

function takes(names: readonly string[]): string {
  return names.length === 0 ? 'it takes none' : `it takes ${names.join(', ')}`;
}

/**
 * An id, as a JSON integer or a string of digits. Anything else is malformed
 * (422); an id that matches nothing in the caller's scope is the service's 404.
 */
export function idValue(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value.trim() : Number.isSafeInteger(value) ? String(value) : '';
  if (!/^[1-9][0-9]*$/.test(text)) throw new BadUserInputError(field, `${field} must be an id: a positive integer such as 301`);
  return text;
}

export function optionalId(body: JsonObject, field: string): string | undefined {
  return idValue(body[field], field);
}

/** `resource:action` values from the one permission list. */
export function permissionList(body: JsonObject, field: string): Permission[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadUserInputError(field, `${field} must be an array such as ["leads:read"]`);
  return value.map((item) => {
    const permission = typeof item === 'string' ? parsePermission(item) : undefined;
    if (permission) return permission;
    const meant = typeof item === 'string' ? BY_GRAPHQL_NAME.get(item.toUpperCase().replace(':', '_')) : undefined;
    const hint = meant ? `; did you mean "${meant}"?` : '';
    throw new BadUserInputError(field, `${field} holds ${JSON.stringify(item)}, which is not a permission${hint}`);
  });
}

/** GraphQL's spelling (LEADS_READ) of each permission, for the hint when one arrives on REST. */
const BY_GRAPHQL_NAME = new Map<string, Permission>(Object.entries(Permission));

export function optionalDate(body: JsonObject, field: string): Date | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new BadUserInputError(field, `${field} must be an ISO 8601 date-time`);
  return date;
}

export function optionalInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadUserInputError(field, `${field} must be an integer`);
  return value;
}

/**
 * Builds one of the GraphQL input classes and runs its class-validator
 * decorators with the options type-graphql applies to arguments, so REST and
 * GraphQL refuse the same inputs with the same words.
 */
export async function validated<T extends object>(type: ClassType<T>, values: { [K in keyof T]?: unknown }): Promise<T> {
  const input = Object.assign(new type(), values);
  const problems = await validate(input, { skipMissingProperties: true, forbidUnknownValues: false });
  if (problems.length > 0) {
    const { field, message } = firstValidationProblem(problems);
    throw new BadUserInputError(field, message);
  }
  return input;
}
