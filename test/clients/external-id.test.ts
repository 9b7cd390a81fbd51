import { dataOf, expectDenied, graphql } from '../support/graphql';
import { useTestServer } from '../support/harness';
import { verifyByRest } from '../verify/verify.fixtures';

const CREATE = 'mutation($input: CreateClientInput!) { createClient(input: $input) { id name externalId } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateClientInput!) { updateClient(id: $id, input: $input) { id name externalId } }';
const BY_EXTERNAL_ID = 'query($externalId: String!) { clientByExternalId(externalId: $externalId) { id name externalId } }';
const VERIFY = 'query($key: String!) { verifyApiKey(key: $key) { code client { id externalId } } }';
const TRAIL = `query($id: ID!) {
  auditEvents(filter: { targetId: $id, targetType: CLIENT }, first: 10) { edges { node { action details } } }
}`;

/**
 * Client.externalId: the platform's own id for its customer, unique within
 * the account, so the platform finds the client (and its keys) by its own
 * id, and every verification of the client's keys names it.
 */
describe("a client's externalId", () => {
  const t = useTestServer();
  const owner = () => t.account.primary.secret;
  const create = async (name: string, externalId?: string | null) =>
    dataOf(await t.call(owner(), CREATE, { input: { name, externalId } })).createClient;

  it('is set at creation, trimmed, and finds the client without regard to case', async () => {
    const client = await create('Globex', '  cus_Globex42 ');
    expect(client.externalId).toBe('cus_Globex42');
    expect(dataOf(await t.call(owner(), BY_EXTERNAL_ID, { externalId: 'CUS_globex42' })).clientByExternalId).toEqual(client);
    expect(dataOf(await t.call(owner(), BY_EXTERNAL_ID, { externalId: 'cus_nobody' })).clientByExternalId).toBeNull();
  });

  it('is unique within the account (without regard to case), not across accounts', async () => {
    await create('Initech', 'cus_Initech');
    const clash = await t.call(owner(), CREATE, { input: { name: 'Initech again', externalId: 'CUS_INITECH' } });
    expect(clash.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'externalId' });
    expect(clash.errors?.[0]?.message).toContain('already has the external id');
    const other = await t.seed.account();
    const theirs = await t.call(other.primary.secret, CREATE, { input: { name: 'Initech', externalId: 'cus_Initech' } });
    expect(dataOf(theirs).createClient.externalId).toBe('cus_Initech');
    expect(dataOf(await t.call(owner(), BY_EXTERNAL_ID, { externalId: 'cus_Initech' })).clientByExternalId.name).toBe('Initech');
  });

  it('refuses what is not 1–128 printable ASCII characters, naming the field', async () => {
    for (const externalId of ['', 'has space', 'é-accent', 'x'.repeat(129)]) {
      const res = await t.call(owner(), CREATE, { input: { name: 'Bad', externalId } });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'externalId' });
    }
    expect((await create('Longest', 'x'.repeat(128))).externalId).toHaveLength(128);
  });

  it('changes with updateClient (absent: unchanged, null: cleared), audited as from → to', async () => {
    const client = await create('Hooli', 'cus_hooli');
    expect(dataOf(await t.call(owner(), UPDATE, { id: client.id, input: { name: 'Hooli XYZ' } })).updateClient).toEqual({
      id: client.id,
      name: 'Hooli XYZ',
      externalId: 'cus_hooli',
    });
    expect(dataOf(await t.call(owner(), UPDATE, { id: client.id, input: { externalId: null } })).updateClient.externalId).toBeNull();
    await t.call(owner(), UPDATE, { id: client.id, input: { externalId: null } });
    const events = dataOf(await t.call(owner(), TRAIL, { id: client.id })).auditEvents.edges.map((e: any) => e.node);
    expect(events.map((e: any) => e.action)).toEqual(['CLIENT_UPDATED', 'CLIENT_UPDATED', 'CLIENT_CREATED']);
    expect(events[0].details).toEqual({ externalId: { from: 'cus_hooli', to: null } });
    expect(events[1].details).toEqual({ name: { from: 'Hooli', to: 'Hooli XYZ' } });
    const cleared = await t.call(owner(), UPDATE, { id: client.id, input: { name: null } });
    expect(cleared.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('is named by every verification of the client’s keys, GraphQL and REST, and follows a change at once', async () => {
    const client = await create('Umbrella', 'cus_umbrella');
    const key = await t.seed.key(owner(), { clientId: client.id });
    const verify = async () =>
      dataOf(await graphql(t.url, { as: t.operatorToken, query: VERIFY, variables: { key: key.secret } })).verifyApiKey;
    expect(await verify()).toEqual({ code: 'VALID', client: { id: client.id, externalId: 'cus_umbrella' } });
    await t.call(owner(), UPDATE, { id: client.id, input: { externalId: 'cus_umbrella_2' } });
    expect((await verify()).client.externalId).toBe('cus_umbrella_2');
    const rest = await verifyByRest(t, t.operatorToken, { key: key.secret });
    expect(rest.body.data.client).toEqual({ id: Number(client.id), name: 'Umbrella', external_id: 'cus_umbrella_2' });
  });

  it("a client key finds only its own client; another account's id answers null", async () => {
    const mine = await create('Stark', 'cus_stark');
    await create('Wayne', 'cus_wayne');
    const clientKey = await t.seed.key(owner(), { clientId: mine.id, permissions: ['LEADS_READ'] });
    const asClient = await t.call(clientKey.secret, BY_EXTERNAL_ID, { externalId: 'cus_wayne' });
    expectDenied(asClient, 'FORBIDDEN', 'clientByExternalId');
    const other = await t.seed.account();
    expect(dataOf(await t.call(other.primary.secret, BY_EXTERNAL_ID, { externalId: 'cus_stark' })).clientByExternalId).toBeNull();
  });
});
