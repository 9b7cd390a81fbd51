import { dataOf, graphql } from '../support/graphql';

const LEAD_FIELDS = 'id email name company client { id name } createdAt updatedAt';
export const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { ${LEAD_FIELDS} } }`;
export const UPDATE = `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { ${LEAD_FIELDS} } }`;
export const DELETE = 'mutation($id: ID!) { deleteLead(id: $id) }';
export const GET = `query($id: ID!) { lead(id: $id) { ${LEAD_FIELDS} } }`;
export const LIST = `query($filter: LeadFilter, $first: Int, $after: String) {
  leads(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id email name } } pageInfo { hasNextPage endCursor }
  }
}`;
export const LEADS_ALL = ['LEADS_READ', 'LEADS_CREATE', 'LEADS_UPDATE', 'LEADS_DELETE'];

export interface Lead {
  id: string;
  email: string;
  name: string;
}

export interface LeadPage {
  totalCount: number;
  edges: Array<{ cursor: string; node: Lead }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Lead operations over HTTP against one test server; every created lead gets a fresh email. */
export function leadApi(server: { url: string }) {
  let counter = 0;
  const call = (as: string | undefined, query: string, variables?: Record<string, unknown>) =>
    graphql(server.url, { as, query, variables });
  return {
    call,
    nextEmail: () => `lead${++counter}@example.com`,
    async lead(as: string, input: Record<string, unknown> = {}): Promise<Lead> {
      const n = ++counter;
      return dataOf(await call(as, CREATE, { input: { email: `lead${n}@example.com`, name: `Lead ${n}`, ...input } })).createLead;
    },
    async list(as: string, variables: Record<string, unknown> = {}): Promise<LeadPage> {
      return dataOf(await call(as, LIST, variables)).leads;
    },
  };
}

export const emailsOf = (page: LeadPage) => page.edges.map((e) => e.node.email);
export const idsOf = (page: LeadPage) => page.edges.map((e) => e.node.id);
