import { dataOf } from '../support/graphql';
import { TestServerFixture } from '../support/harness';

const EVENT_FIELDS = 'id actor action targetType targetId targetPrefix targetName details ip userAgent createdAt';
export const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { ${EVENT_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface AuditEvent {
  id: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  targetPrefix: string | null;
  targetName: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

/** The audit files' reads, through the file's server. */
export function auditReads(t: TestServerFixture) {
  /** Every event the key can see matching the filter, newest first. */
  async function events(as: string, filter: Record<string, unknown> = {}): Promise<AuditEvent[]> {
    const res = await t.call(as, EVENTS, { filter, first: 100 });
    const connection = dataOf(res).auditEvents;
    expect(connection.totalCount).toBe(connection.edges.length);
    return connection.edges.map((e: any) => e.node);
  }
  const count = async (as: string) => (await t.data(as, '{ auditEvents { totalCount } }')).auditEvents.totalCount as number;
  return { events, count };
}
