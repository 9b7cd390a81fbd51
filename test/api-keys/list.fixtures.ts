import { dataOf, GraphQLResponse } from '../support/graphql';
import { TestServerFixture } from '../support/harness';

export const LIST = `query($filter: ApiKeyFilter, $first: Int, $after: String) {
  apiKeys(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name kind status isPrimary prefix client { id } } }
  }
}`;

export const REVOKED = `query($filter: RevokedKeyFilter, $first: Int, $after: String) {
  revokedKeys(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name prefix kind client { id } } }
  }
}`;

export interface KeyNode {
  id: string;
  name: string;
  kind: string;
  status: string;
  isPrimary: boolean;
  prefix: string;
  client: { id: string } | null;
}

export interface Connection<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: N }>;
}

export const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

/** The listing files' requests, through the file's server. */
export function keyLists(t: TestServerFixture) {
  function list(as: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
    return t.call(as, LIST, variables);
  }

  async function page(as: string, variables: Record<string, unknown> = {}): Promise<Connection<KeyNode>> {
    return dataOf(await list(as, variables)).apiKeys;
  }

  async function names(as: string, filter: Record<string, unknown>): Promise<string[]> {
    const connection = await page(as, { filter, first: 100 });
    // totalCount is counted separately from the page: both must honour the filter.
    expect(connection.totalCount).toBe(connection.edges.length);
    return connection.edges.map((edge) => edge.node.name);
  }

  async function revokedPage(as: string, variables: Record<string, unknown> = {}): Promise<Connection<KeyNode>> {
    return (await t.data(as, REVOKED, variables)).revokedKeys;
  }

  const deactivate = (as: string, id: string) => t.data(as, 'mutation($id: ID!) { deactivateApiKey(id: $id) { id status } }', { id });
  const revoke = (as: string, id: string) => t.data(as, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id });

  return { list, page, names, revokedPage, deactivate, revoke };
}
