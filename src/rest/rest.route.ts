import { AuthRequirement } from '../shared/auth.directives';
import { Caller } from '../shared/caller';
import { Permission } from '../shared/permission';
import { Services } from '../services/services';
import { FieldNames } from './rest.errors';

/** What a route reads of its request: the parsed JSON body (undefined: none), the query string, the path's parameters. */
export interface RestInput {
  body: unknown;
  query: Readonly<Record<string, string | string[] | undefined>>;
  params: Readonly<Record<string, string>>;
}

export interface RestAnswer {
  status: number;
  body: unknown;
  /** The body already serialised, for an answer built from parts kept as JSON (the verify route's); `body` is then not read. */
  json?: string;
}

/**
 * One REST operation: where it lives, the rule its caller must meet (checked
 * before `handle` runs, by the same assertAllowed as GraphQL's @auth), and an
 * adapter that reads the request, calls one service and shapes the answer.
 * The router, the OpenAPI document and the security test all read this table.
 */
export interface RestRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  /** express syntax (`:id`); the OpenAPI document writes `{id}`. */
  path: string;
  requirement: Extract<AuthRequirement, { kind: 'permission' }>;
  /** Points of the caller's own pool the call costs: 1, unless another pool pays (verification). */
  cost?: number;
  /**
   * The JSON body fields and query parameters the route reads, besides the
   * `api_key` credential. Any other is refused (422 naming it) before the
   * route runs: a misspelt field silently ignored would make a key without
   * the permissions its caller meant to give. Absent: none.
   */
  bodyFields?: readonly string[];
  queryParameters?: readonly string[];
  /** The service's field names as this route's clients write them, for 422 answers. */
  fieldNames?: FieldNames;
  /** A value when the answer needs no waiting (a cached verification), else a promise. */
  handle(services: Services, caller: Caller, req: RestInput): RestAnswer | Promise<RestAnswer>;
}

export function needs(permission: Permission): RestRoute['requirement'] {
  return { kind: 'permission', permission };
}
