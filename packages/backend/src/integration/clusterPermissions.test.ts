/*
 * Kafka, Connect, Marathon and ZooKeeper permissions scoped per cluster (#20), through Backstage's real
 * identity and permission services: the permission backend asks the team
 * policy, which keeps Kafka changes on `dr` for the admin group
 * (`adminOnlyClusters`), and archon evaluates that conditional decision per
 * cluster with its rule IS_IN_CLUSTER. Two users on two real Kafka clusters
 * (the shared local one as `local`, a private one as `dr`): bob creates
 * topics and produces on local, not on dr (403 naming the permission and the
 * cluster, nothing created, the refusal audited with bob as the actor); ada,
 * of the admin group, does both on dr. The same for managing connectors
 * (the shared local Connect as `local`, the shared second environment's
 * Connect as `dr`). The same for deploys and app operations on two Marathon
 * instances (private servers as `local` and `dr`) and for configuration and
 * raw znode writes on two ZooKeeper ensembles (the shared ones, under this
 * file's root): bob, of team-a, changes under /team-a on local only. Each
 * user signs in with the guest provider of a backend of their own (the
 * provider signs in one user).
 */
import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import {
  getTestCluster,
  marathonRest,
  removeZnodeTree,
  startPrivateMarathon,
  testNamespace,
  type PrivateMarathon,
} from '@archon/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  ArchonTeamPermissionPolicy,
  outsideClusters,
} from '../modules/ArchonTeamPermissionPolicy';
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

/**
 * A backend where `user` signs in (owning `groups` too), with both Kafka and
 * Connect clusters (or the `archon` sections given) and the team policy
 * (team-a owns /team-a; or the policy given).
 */
async function signIn(
  user: string,
  groups: string[],
  options: {
    archon?: JsonObject;
    policy?: Parameters<typeof startIdentityBackend>[0]['policy'];
  } = {},
) {
  const backend = await startIdentityBackend({
    label: 'cluster-perms',
    policy:
      options.policy ??
      (({ userInfo }) =>
        new ArchonTeamPermissionPolicy({
          userInfo,
          teams: [{ group: 'group:default/team-a', prefixes: ['/team-a'] }],
          adminGroup: ADMINS,
          adminOnlyClusters: ['dr'],
        })),
    externalAccess: [],
    guestUserEntityRef: user,
    guestOwnership: [user, ...groups],
    config: {
      archon: options.archon ?? {
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
  const as = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    request(backend.server)
      [method](`/api/archon${path}`)
      .set('Authorization', `Bearer ${session.token}`);
  return {
    get: (path: string) => as('get', path),
    post: (path: string, body: object) => as('post', path).send(body),
    put: (path: string, body: object) => as('put', path).send(body),
    delete: (path: string) => as('delete', path),
    /** The audit log's rows of `action` on `cluster`: [actor, outcome]. */
    audited: async (action: string, cluster: string) =>
      (
        (await as('get', '/audit').query({ action })).body.items as Array<{
          actor: string;
          outcome: string;
          target?: { cluster?: string };
        }>
      )
        .filter(e => e.target?.cluster === cluster)
        .map(e => [e.actor, e.outcome]),
  };
}
type Session = Awaited<ReturnType<typeof signIn>>;

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

describe('Marathon instances and ZooKeeper ensembles', () => {
  // Both ensembles under this file's own root; the Marathons are private.
  const ns = testNamespace('cluster-perms-writes');
  const configRoot = `${ns.zkRoot}/pheidippides`;
  const level = `/team-a/perms-${suffix}`;
  const appPath = `${level}/app`;
  const plainApp = `${level}/plain`;
  let marathons: Record<'local' | 'dr', PrivateMarathon>;

  const drZooKeeper = () => {
    const second = getTestCluster().dr;
    if (!second)
      throw new Error('the local cluster runs no second environment (dr)');
    return second.zookeeper.connectionString;
  };
  /** Both ensembles, both Marathon instances; deploys count as settled after 1 s. */
  const writes = (): JsonObject => ({
    zookeeper: {
      ensembles: [
        {
          name: 'local',
          connectionString: getTestCluster().zookeeper.connectionString,
          root: configRoot,
          sessionTimeoutMs: 6000,
        },
        {
          name: 'dr',
          connectionString: drZooKeeper(),
          root: configRoot,
          sessionTimeoutMs: 6000,
        },
      ],
    },
    marathon: {
      instances: (['local', 'dr'] as const).map(name => ({
        name,
        url: marathons[name].marathon.url,
        mesosAgentUrl: marathons[name].marathon.url,
      })),
    },
    deploy: { settleSeconds: 1 },
  });
  const appsOn = async (instance: 'local' | 'dr') => {
    const res = await marathonRest(marathons[instance].marathon.url)(
      'GET',
      '/apps',
    );
    return (res.body as { apps: Array<{ id: string; instances: number }> })
      .apps;
  };
  const refusal = (permission: string, ref: string) =>
    `You are not allowed to do this: it needs the permission "${permission}" on ${ref}`;

  beforeAll(async () => {
    marathons = {
      local: await startPrivateMarathon(),
      dr: await startPrivateMarathon(),
    };
  });

  afterAll(async () => {
    await marathons?.local.close();
    await marathons?.dr.close();
    await removeZnodeTree(
      getTestCluster().zookeeper.connectionString,
      ns.zkRoot,
    );
    await removeZnodeTree(drZooKeeper(), ns.zkRoot);
  });

  it('lets bob write configuration under /team-a on local but not on dr, and ada on dr too', async () => {
    const bob = await signIn('user:default/bob', ['group:default/team-a'], {
      archon: writes(),
    });
    const ada = await signIn('user:default/ada', [ADMINS], {
      archon: writes(),
    });
    const set = (ensemble: string) =>
      `/config/sets${level}?ensemble=${ensemble}`;
    const properties = { greeting: 'from bob' };

    const bobLocal = await bob.put(set('local'), { properties });
    expect([bobLocal.status, bobLocal.body.error]).toEqual([200, undefined]);

    const bobDr = await bob.put(set('dr'), { properties });
    expect([bobDr.status, bobDr.body.error?.message]).toEqual([
      403,
      refusal('archon.zookeeper.ensemble.write', 'zookeeper:dr'),
    ]);
    expect((await ada.get(set('dr'))).status).toBe(404);

    const adaDr = await ada.put(set('dr'), {
      properties: { greeting: 'from ada' },
    });
    expect([adaDr.status, adaDr.body.error]).toEqual([200, undefined]);
    // Deleting is a write too: refused on dr, and ada's set stays.
    const bobDeletes = await bob.delete(set('dr'));
    expect([bobDeletes.status, bobDeletes.body.error?.message]).toEqual([
      403,
      refusal('archon.zookeeper.ensemble.write', 'zookeeper:dr'),
    ]);
    expect((await ada.get(set('dr'))).body.properties).toEqual({
      greeting: 'from ada',
    });
    expect((await bob.get(set('local'))).body.properties).toEqual(properties);

    expect(await bob.audited('config-set-put', 'dr')).toEqual([
      ['user:default/bob', 'failure'],
    ]);
    expect(await bob.audited('config-set-delete', 'dr')).toEqual([
      ['user:default/bob', 'failure'],
    ]);
  });

  it('decides raw znode writes per ensemble too', async () => {
    // A policy that allows raw writes but keeps dr's ensemble off (the team
    // policy keeps raw writes for the admin group everywhere).
    const notDr: PermissionPolicy = {
      async handle(query) {
        return query.permission.name === 'archon.zookeeper.ensemble.write'
          ? outsideClusters(['dr'])
          : { result: AuthorizeResult.ALLOW };
      },
    };
    const carol = await signIn('user:default/carol', [], {
      archon: writes(),
      policy: () => notDr,
    });
    const znode = (ensemble: string) =>
      `/zookeeper/${ensemble}/znodes${ns.zkRoot}/raw/carol`;
    const body = { data: { text: 'hello' }, createParents: true };

    const local = await carol.post(znode('local'), body);
    expect([local.status, local.body.error]).toEqual([201, undefined]);
    const onDr = await carol.post(znode('dr'), body);
    expect([onDr.status, onDr.body.error?.message]).toEqual([
      403,
      refusal('archon.zookeeper.ensemble.write', 'zookeeper:dr'),
    ]);
    expect((await carol.get(znode('dr'))).status).toBe(404);
    expect((await carol.put(znode('dr'), { data: { text: 'x' } })).status).toBe(
      403,
    );
    expect((await carol.delete(znode('dr'))).status).toBe(403);
    expect(await carol.audited('zookeeper-znode-create', 'dr')).toEqual([
      ['user:default/carol', 'failure'],
    ]);
  });

  it('lets bob deploy and operate under /team-a on local but not on dr, and ada on dr too', async () => {
    const bob = await signIn('user:default/bob', ['group:default/team-a'], {
      archon: writes(),
    });
    const ada = await signIn('user:default/ada', [ADMINS], {
      archon: writes(),
    });
    const written = await bob.put(`/config/sets${appPath}?ensemble=local`, {
      properties: {
        'marathon.cpus': '0.05',
        'marathon.mem': '32',
        'marathon.cmd': 'sleep 600',
        'marathon.taskKillGracePeriodSeconds': '1',
      },
    });
    expect(written.status).toBe(200);
    const deploy = (who: Session, instance: string) =>
      who.post('/deployments', { configPath: appPath, instance, wait: true });

    const bobLocal = await deploy(bob, 'local');
    expect([bobLocal.status, bobLocal.body.status]).toEqual([200, 'succeeded']);
    expect((await appsOn('local')).map(a => a.id)).toEqual([appPath]);

    const bobDr = await deploy(bob, 'dr');
    expect([bobDr.status, bobDr.body.error?.message]).toEqual([
      403,
      refusal('archon.marathon.target.manage', 'marathon:dr'),
    ]);
    expect(await appsOn('dr')).toEqual([]);

    const adaDr = await deploy(ada, 'dr');
    expect([adaDr.status, adaDr.body.status]).toEqual([200, 'succeeded']);

    // Operations on dr's app: refused for bob, nothing changes there.
    const scale = await bob.post('/apps/scale', {
      configPath: appPath,
      instance: 'dr',
      instances: 2,
      wait: true,
    });
    expect([scale.status, scale.body.error?.message]).toEqual([
      403,
      refusal('archon.marathon.target.manage', 'marathon:dr'),
    ]);
    const destroy = await bob.post('/apps/destroy', {
      configPath: appPath,
      instance: 'dr',
      confirm: appPath,
    });
    expect(destroy.status).toBe(403);
    expect(await appsOn('dr')).toEqual([
      expect.objectContaining({ id: appPath, instances: 1 }),
    ]);
    // On local they go through.
    const scaleLocal = await bob.post('/apps/scale', {
      configPath: appPath,
      instance: 'local',
      instances: 2,
      wait: true,
    });
    expect([scaleLocal.status, scaleLocal.body.status]).toEqual([
      200,
      'succeeded',
    ]);

    // An app archon did not deploy, through the Marathon routes.
    for (const instance of ['local', 'dr'] as const) {
      const created = await marathonRest(marathons[instance].marathon.url)(
        'POST',
        '/apps',
        { id: plainApp, cmd: 'sleep 600', cpus: 0.05, mem: 32, instances: 1 },
      );
      expect(created.status).toBe(201);
    }
    const app = (instance: string, action: string) =>
      `/marathon/${instance}/apps${plainApp}/${action}`;
    const plainDr = await bob.post(app('dr', 'scale'), { instances: 2 });
    expect([plainDr.status, plainDr.body.error?.message]).toEqual([
      403,
      refusal('archon.marathon.target.manage', 'marathon:dr'),
    ]);
    // Resetting the launch delay of dr's deployed app (its path is bob's).
    const delay = await bob.delete(`/marathon/dr/apps${appPath}/queue/delay`);
    expect([delay.status, delay.body.error?.message]).toEqual([
      403,
      refusal('archon.marathon.target.manage', 'marathon:dr'),
    ]);
    expect((await appsOn('dr')).find(a => a.id === plainApp)?.instances).toBe(
      1,
    );
    expect(
      (await bob.post(app('local', 'scale'), { instances: 2 })).status,
    ).toBe(202);

    expect(await bob.audited('app-deploy', 'dr')).toEqual([
      ['user:default/bob', 'failure'],
    ]);
    expect(await bob.audited('marathon-app-scale', 'dr')).toEqual([
      ['user:default/bob', 'failure'],
    ]);
  });
});
