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

/** POSTs one GraphQL operation over real HTTP. */
export async function graphql<T = any>(baseUrl: string, request: GraphQLRequest): Promise<GraphQLResponse<T>> {
  const url = new URL('/graphql', baseUrl);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers };
  const body: Record<string, unknown> = { query: request.query, variables: request.variables };
  if (request.as !== undefined) {
    switch (request.via ?? 'bearer') {
      case 'bearer':
        headers.authorization = `Bearer ${request.as}`;
        break;
      case 'x-api-key':
        headers['x-api-key'] = request.as;
        break;
      case 'query':
        url.searchParams.set('api_key', request.as);
        break;
      case 'body':
        body.api_key = request.as;
        break;
    }
  }
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
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
