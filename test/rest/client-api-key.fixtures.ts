import { TestServerFixture } from '../support/harness';
import { rest } from './rest-client';

export const PATH = '/api/v1/client/api-key';
export const NAME_RULE = 'Client key names may contain only letters, digits, spaces, hyphens and underscores';

/** The client-key routes as a caller uses them, through the file's server. */
export function clientKeyRoutes(t: TestServerFixture) {
  const create = (as: string, body: unknown, via?: 'bearer' | 'body' | 'x-api-key' | 'query') =>
    rest(t.url, { method: 'POST', path: PATH, as, via, body });
  const list = (as: string, query: Record<string, string> = {}) => rest(t.url, { method: 'GET', path: PATH, as, query });
  const viewer = async (key: string) => t.call(key, '{ viewer { prefix } }');
  return { create, list, viewer };
}
