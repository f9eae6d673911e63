/*
 * Kafka and Connect permissions scoped per cluster (#20), through Backstage's real
 * identity and permission services: the permission backend asks the team
 * policy, which keeps Kafka changes on `dr` for the admin group
 * (`adminOnlyClusters`), and archon evaluates that conditional decision per
 * cluster with its rule IS_IN_CLUSTER. Two users on two real Kafka clusters
 * (the shared local one as `local`, a private one as `dr`): bob creates
 * topics and produces on local, not on dr (403 naming the permission and the
 * cluster, nothing created, the refusal audited with bob as the actor); ada,
 * of the admin group, does both on dr. The same for managing connectors
 * (the shared local Connect as `local`, the shared second environment's
 * Connect as `dr`). Each user signs in with the guest
 * provider of a backend of their own (the provider signs in one user).
 */
import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import { getTestCluster } from '@archon/test-utils';
import request from 'supertest';
import { ArchonTeamPermissionPolicy } from '../modules/ArchonTeamPermissionPolicy';
import {
  startIdentityBackend,
  type IdentityBackend,
} from '../__testUtils__/identityBackend';

jest.setTimeout(240_000);

const ADMINS = 'group:default/archon-admins';
const suffix = Math.random().toString(36).slice(2, 8);
const topic = `archon-test-cluster-perms-${suffix}`;

let dr: PrivateCluster;

/** The second environment's Connect worker (jest's globalSetup starts it). */
function drConnectUrl(): string {
  const url = getTestCluster().dr?.connect.url;
  if (!url)
    throw new Error('the local cluster runs no second environment (dr)');
  return url;
}
const sessions: Array<{ backend: IdentityBackend; token: string }> = [];

/** A backend where `user` signs in (owning `groups` too), with both Kafka clusters and the team policy. */
async function signIn(user: string, groups: string[]) {
  const backend = await startIdentityBackend({
    label: 'cluster-perms',
    policy: ({ userInfo }) =>
      new ArchonTeamPermissionPolicy({
        userInfo,
        teams: [],
        adminGroup: ADMINS,
        adminOnlyClusters: ['dr'],
      }),
    externalAccess: [],
    guestUserEntityRef: user,
    guestOwnership: [user, ...groups],
    config: {
      archon: {
        kafka: {
          clusters: [
            { name: 'local', brokers: getTestCluster().kafka.brokers },
            { name: 'dr', brokers: dr.info.kafka.brokers },
          ],
          sampler: { enabled: false },
        },
        kafkaConnect: {
          clusters: [
            {
              name: 'local',
              url: getTestCluster().connect.url,
              kafkaCluster: 'local',
            },
            { name: 'dr', url: drConnectUrl(), kafkaCluster: 'dr' },
          ],
        },
      },
    },
  });
  const session = { backend, token: await backend.guestToken() };
  sessions.push(session);
  const as = (method: 'get' | 'post' | 'delete', path: string) =>
    request(backend.server)
      [method](`/api/archon${path}`)
      .set('Authorization', `Bearer ${session.token}`);
  return {
    get: (path: string) => as('get', path),
    post: (path: string, body: object) => as('post', path).send(body),
    delete: (path: string) => as('delete', path),
  };
}

beforeAll(async () => {
  // The guest provider signs in only in development, as on the local portal.
  process.env.NODE_ENV = 'development';
  dr = await startPrivateCluster(['kafka'], { label: 'cluster-perms' });
});

afterAll(async () => {
  // The private dr goes whole; the shared local Kafka keeps nothing of this suite.
  const admin = sessions[1];
  if (admin)
    await request(admin.backend.server)
      .delete(`/api/archon/kafka/local/topics/${topic}`)
      .query({ confirm: topic })
      .set('Authorization', `Bearer ${admin.token}`)
      .catch(() => {});
  for (const { backend } of sessions) await backend.stop();
  await dr?.dispose();
});

it('lets bob change Kafka on local but not on dr, and ada, of the admin group, on dr too', async () => {
  const bob = await signIn('user:default/bob', ['group:default/team-a']);
  const ada = await signIn('user:default/ada', [ADMINS]);
  const spec = { name: topic, partitions: 1, replicationFactor: 1 };
  const topicsOn = async (cluster: string) =>
    (
      (await ada.get(`/kafka/${cluster}/topics`).query({ filter: topic })).body
        .items ?? []
    ).map((t: { name: string }) => t.name);

  const bobLocal = await bob.post('/kafka/local/topics', spec);
  expect([bobLocal.status, bobLocal.body.error]).toEqual([201, undefined]);
  const bobProducesLocal = await bob.post(
    `/kafka/local/topics/${topic}/messages`,
    { value: 'from bob' },
  );
  expect(bobProducesLocal.status).toBe(201);

  const bobDr = await bob.post('/kafka/dr/topics', spec);
  expect([bobDr.status, bobDr.body.error?.message]).toEqual([
    403,
    'You are not allowed to do this: it needs the permission "archon.kafka.topic.create" on kafka:dr',
  ]);
  expect(await topicsOn('dr')).toEqual([]);

  const adaDr = await ada.post('/kafka/dr/topics', spec);
  expect([adaDr.status, adaDr.body.error]).toEqual([201, undefined]);
  expect(await topicsOn('dr')).toEqual([topic]);

  const bobProducesDr = await bob.post(`/kafka/dr/topics/${topic}/messages`, {
    value: 'from bob',
  });
  expect([bobProducesDr.status, bobProducesDr.body.error?.message]).toEqual([
    403,
    'You are not allowed to do this: it needs the permission "archon.kafka.message.produce" on kafka:dr',
  ]);
  const adaProducesDr = await ada.post(`/kafka/dr/topics/${topic}/messages`, {
    value: 'from ada',
  });
  expect(adaProducesDr.status).toBe(201);

  // Reading is not a change: bob reads dr's messages, and there is only ada's.
  const read = await bob
    .get(`/kafka/dr/topics/${topic}/messages`)
    .query({ start: 'oldest' });
  expect(read.status).toBe(200);
  expect(
    read.body.messages.map(
      (m: { value: { text: string } | null }) => m.value?.text,
    ),
  ).toEqual(['from ada']);

  // The refusal is in bob's backend's audit log, with bob as the actor.
  const audit = await bob.get('/audit').query({ action: 'topic-create' });
  expect(audit.status).toBe(200);
  expect(
    audit.body.items
      .filter(
        (e: { target?: { cluster?: string } }) => e.target?.cluster === 'dr',
      )
      .map((e: { actor: string; outcome: string }) => [e.actor, e.outcome]),
  ).toEqual([['user:default/bob', 'failure']]);
});

it('lets bob manage connectors on local but not on dr, and ada, of the admin group, on dr too', async () => {
  const bob = await signIn('user:default/bob', ['group:default/team-a']);
  const ada = await signIn('user:default/ada', [ADMINS]);
  // Validating sends a connector's config to Connect: it needs the manage
  // permission on that cluster, and changes nothing.
  const config = {
    name: `archon-test-perms-${suffix}`,
    config: {
      'connector.class':
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
      topic,
      file: '/dev/null',
    },
  };
  const bobLocal = await bob.post('/connect/local/validate', config);
  expect([bobLocal.status, bobLocal.body.error]).toEqual([200, undefined]);

  const bobDr = await bob.post('/connect/dr/validate', config);
  expect([bobDr.status, bobDr.body.error?.message]).toEqual([
    403,
    'You are not allowed to do this: it needs the permission "archon.connect.connector.manage" on connect:dr',
  ]);
  const bobCreatesDr = await bob.post('/connect/dr/connectors', config);
  expect(bobCreatesDr.status).toBe(403);
  const created = await ada.get(`/connect/dr/connectors/${config.name}`);
  expect(created.status).toBe(404);

  const adaDr = await ada.post('/connect/dr/validate', config);
  expect([adaDr.status, adaDr.body.error]).toEqual([200, undefined]);
});
