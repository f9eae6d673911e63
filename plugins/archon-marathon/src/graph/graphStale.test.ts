/*
 * The graph while Marathon or ZooKeeper is frozen (SIGSTOP on a private
 * instance of each): the Marathon contributor keeps its apps and the config
 * contributor its levels, each node marked with asOf; `GET /graph` and the
 * lineage of an app say so (stale, asOf, a Warning naming the contributor);
 * after the thaw the marks go without a restart.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend } from '@archon/test-utils';
import request from 'supertest';
import { archonModuleMarathon } from '../module';

jest.setTimeout(300_000);

const appNode = 'app:private/stale-graph-app';
const levelNode = 'config:/stale';

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

type Contributor = {
  id: string;
  staleSources?: Array<{ source: string; asOf: string }>;
  refreshedAt?: string;
  stale?: boolean;
  asOf?: string;
};
type Node = { id: string; stale?: boolean; asOf?: string };
const part = (body: { contributors?: Contributor[] }, id: string) =>
  body.contributors?.find(c => c.id === id);
const node = (body: { nodes?: Node[] }, id: string) =>
  body.nodes?.find(n => n.id === id);
const graph = () =>
  request(server).get(
    '/api/archon/graph?kinds=app,config-path&edgeKinds=configured-by',
  );
const lineage = () =>
  request(server).get(
    `/api/archon/graph/lineage/${encodeURIComponent(appNode)}?direction=up`,
  );

/** Sends fresh requests until `ok` holds or `timeoutMs` has passed; returns the last answer. */
async function until(
  send: () => request.Test,
  ok: (res: request.Response) => boolean,
  timeoutMs = 90_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await send()
      .timeout(15_000)
      .catch(() => undefined);
    if ((res && ok(res)) || Date.now() > deadline) {
      if (!res) throw new Error('the last request did not answer within 15 s');
      return res;
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['zookeeper', 'marathon'], {
    label: 'graph-stale',
  });
  backend = await startArchonTestBackend({
    features: [archonPlugin, archonModuleMarathon],
    cluster: cluster.info,
    archon: {
      zookeeper: {
        requestTimeoutSeconds: 3,
        ensembles: [
          {
            name: 'local',
            connectionString: cluster.info.zookeeper.connectionString,
            root: '/pheidippides',
            sessionTimeoutMs: 4000,
          },
        ],
      },
      marathon: {
        requestTimeoutSeconds: 3,
        instances: [
          {
            name: 'private',
            url: cluster.info.marathon!.url,
            mesosAgentUrl: cluster.info.marathon!.url,
          },
        ],
      },
    },
  });
  server = backend.server;
  const level = await until(
    () =>
      request(server)
        .put('/api/archon/config/sets/stale')
        .send({ properties: { greeting: 'hi' }, expectedVersion: -1 }),
    res => res.status === 200,
  );
  if (level.status !== 200)
    throw new Error(`could not write /stale: ${JSON.stringify(level.body)}`);
  // An app straight on the private Marathon, labelled with its configuration path.
  const app = await fetch(`${cluster.info.marathon!.url}/v2/apps`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      id: '/stale-graph-app',
      cmd: 'sleep 600',
      instances: 0,
      cpus: 0.01,
      mem: 16,
      labels: { ARCHON_CONFIG_PATH: '/stale' },
    }),
  });
  if (app.status !== 201)
    throw new Error(
      `could not create the app: ${app.status} ${await app.text()}`,
    );
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('marks the Marathon part stale while Marathon is frozen, in the graph and a lineage, and fresh after the thaw', async () => {
  const fresh = await until(
    graph,
    res => !!node(res.body, appNode) && !!node(res.body, levelNode),
  );
  expect(fresh.body.stale).toBeUndefined();
  expect(node(fresh.body, appNode)?.stale).toBeUndefined();

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  let stale: request.Response;
  let staleLineage: request.Response;
  try {
    stale = await until(
      graph,
      res => !!part(res.body, 'marathon')?.stale,
      90_000,
    );
    staleLineage = await lineage();
  } finally {
    await cluster.thaw('marathon');
  }
  const marathon = part(stale.body, 'marathon')!;
  expect(marathon.stale).toBe(true);
  expect(Date.parse(marathon.asOf!)).toBeLessThanOrEqual(frozenAt);
  expect(stale.body).toMatchObject({ stale: true, asOf: marathon.asOf });
  expect(marathon.staleSources).toEqual([
    { source: 'Marathon instance "private"', asOf: marathon.asOf },
  ]);
  expect(node(stale.body, appNode)).toMatchObject({
    stale: true,
    asOf: marathon.asOf,
  });
  // The configuration level is not Marathon's: it stays current.
  expect(node(stale.body, levelNode)?.stale).toBeUndefined();
  expect(stale.headers.warning).toMatch(
    /^110 archon "Response is Stale: the source of graph contributor 'marathon' \(Marathon instance 'private'\) is not reachable/,
  );
  expect(staleLineage.status).toBe(200);
  expect(staleLineage.body).toMatchObject({ stale: true, asOf: marathon.asOf });
  expect(node(staleLineage.body, appNode)).toMatchObject({ stale: true });
  expect(staleLineage.headers.warning).toMatch(/graph contributor 'marathon'/);

  const recovered = await until(graph, res => {
    const c = part(res.body, 'marathon');
    return !!c && !c.stale && Date.parse(c.refreshedAt ?? '') > frozenAt;
  });
  expect(recovered.body.stale).toBeUndefined();
  expect(node(recovered.body, appNode)?.stale).toBeUndefined();
  const lineageAfter = await lineage();
  expect(lineageAfter.body.stale).toBeUndefined();
  expect(lineageAfter.headers.warning).toBeUndefined();
});

it('marks the configuration levels stale while ZooKeeper is frozen, and fresh after the thaw', async () => {
  await cluster.freeze('zookeeper');
  const frozenAt = Date.now();
  let stale: request.Response;
  try {
    stale = await until(
      graph,
      res => !!part(res.body, 'config')?.stale,
      60_000,
    );
  } finally {
    await cluster.thaw('zookeeper');
  }
  const config = part(stale.body, 'config')!;
  expect(config.staleSources).toEqual([
    { source: 'ZooKeeper ensemble "local"', asOf: config.asOf },
  ]);
  expect(config.stale).toBe(true);
  expect(Date.parse(config.asOf!)).toBeLessThanOrEqual(Date.now());
  expect(Date.parse(config.asOf!)).toBeGreaterThanOrEqual(frozenAt - 10_000);
  expect(node(stale.body, levelNode)).toMatchObject({
    stale: true,
    asOf: config.asOf,
  });
  expect(node(stale.body, appNode)?.stale).toBeUndefined();
  expect(stale.headers.warning).toMatch(
    /graph contributor 'config' \(ZooKeeper ensemble 'local'\) is not reachable/,
  );

  const recovered = await until(
    graph,
    res => !part(res.body, 'config')?.stale,
    60_000,
  );
  expect(part(recovered.body, 'config')?.stale).toBeUndefined();
  expect(node(recovered.body, levelNode)?.stale).toBeUndefined();
  expect(recovered.body.stale).toBeUndefined();
});
