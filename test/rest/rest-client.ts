import { CredentialVia, placeCredential } from '../support/graphql';

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON; `raw` sends a string as it is (with a JSON content type unless headers say otherwise). */
  body?: unknown;
  raw?: string;
  /** A key or operator token; omitted means anonymous. */
  as?: string;
  via?: CredentialVia;
  headers?: Record<string, string>;
}

export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One REST call over real HTTP, with the credential where `via` says. */
export async function rest<T = any>(baseUrl: string, request: RestRequest): Promise<RestResponse<T>> {
  const url = new URL(request.path, baseUrl);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value);
  const headers: Record<string, string> = {};
  const body = placeCredential(url, headers, request.body, request.as, request.via);
  const payload = request.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: request.method, headers: { ...headers, ...request.headers }, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** The body of an answer that must have succeeded with `status`; fails the test with the answer otherwise. */
export function okData<T = any>(response: RestResponse, status = 200): T {
  if (response.status !== status || response.body?.ok !== true) {
    throw new Error(`expected HTTP ${status} ok, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body.data;
}

export const UNAUTHORIZED = { success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key' } };
