export type CredentialVia = 'bearer' | 'x-api-key' | 'query' | 'body';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** A key or operator token; omitted means anonymous. */
  as?: string;
  via?: CredentialVia;
  headers?: Record<string, string>;
}

export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = any> {
  status: number;
  headers: Headers;
  data: T;
  errors?: GraphQLError[];
}

/**
 * Puts a credential where `via` says — header, query parameter or JSON body
 * field — and returns the body to send. Shared by the GraphQL and REST clients.
 */
export function placeCredential(
  url: URL,
  headers: Record<string, string>,
  body: unknown,
  credential: string | undefined,
  via: CredentialVia = 'bearer',
): unknown {
  if (credential === undefined) return body;
  switch (via) {
    case 'bearer':
      headers.authorization = `Bearer ${credential}`;
      return body;
    case 'x-api-key':
      headers['x-api-key'] = credential;
      return body;
    case 'query':
      url.searchParams.set('api_key', credential);
      return body;
    case 'body':
      return { ...(body as object), api_key: credential };
  }
}

/** POSTs one GraphQL operation over real HTTP. */
export async function graphql<T = any>(baseUrl: string, request: GraphQLRequest): Promise<GraphQLResponse<T>> {
  const url = new URL('/graphql', baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers };
  const body: Record<string, unknown> = { query: request.query, variables: request.variables };
  const sent = placeCredential(url, headers, body, request.as, request.via);
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(sent) });
  const json = (await response.json()) as { data?: T; errors?: GraphQLError[] };
  return { status: response.status, headers: response.headers, data: json.data as T, errors: json.errors };
}

/** The single error's code, for denials: `expect(codeOf(res)).toBe('NOT_FOUND')`. */
export function codeOf(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || response.status !== 200) {
    throw new Error(`expected success, got HTTP ${response.status}: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/**
 * A refusal, as every denial in the suite asserts it: exactly one error, with
 * this code, at this field, and no answer for the field. The path matters: a
 * FORBIDDEN from some nested field would otherwise pass for the operation's.
 */
export function expectDenied(response: GraphQLResponse, code: string, field: string): void {
  expect(response.errors?.map((e) => [e.extensions?.code, e.path])).toEqual([[code, [field]]]);
  expect(response.data?.[field] ?? null).toBeNull();
}
