/*
 * The shared setup of the ZooKeeper explorer suites (zookeeperRoutes,
 * zookeeperExportAccess): archon against the real
 * ZooKeeper of the local cluster, under a private root of each test file.
 */
import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import { removeZnodeTree, startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../../plugin';

export const cluster = getTestCluster();
export const ns = testNamespace('zookeeper-explorer');
export const base = `${ns.zkRoot}/explorer`;

export let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
export let server: Parameters<typeof request>[0];
export let zk: zookeeper.Client;
export const auditEvents: Array<{
  eventId: string;
  meta?: unknown;
  outcome?: 'success' | 'fail';
  successMeta?: unknown;
}> = [];

export const api = '/api/archon/zookeeper/local';
/** The readable URL form: slashes as they are. */
export const znode = (path: string) => `${api}/znodes${path}`;
export const create = (path: string, body: object = {}) =>
  request(server).post(znode(path)).send(body);
export const read = (path: string) => request(server).get(znode(path));
export const children = (path: string, query = '') =>
  request(server).get(`${api}/children${path}${query}`);

/** A ZooKeeper client that is not archon, like zkCli or a deploy script. */
export function externalClient(): Promise<zookeeper.Client> {
  return new Promise(resolve => {
    const client = zookeeper.createClient(cluster.zookeeper.connectionString);
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

export function commit(tx: zookeeper.Transaction): Promise<void> {
  return new Promise((resolve, reject) =>
    tx.commit(error => (error ? reject(error) : resolve())),
  );
}

export const setExternally = (path: string, data: string) =>
  new Promise<void>((resolve, reject) =>
    zk.setData(path, Buffer.from(data), -1, error =>
      error ? reject(error) : resolve(),
    ),
  );

/**
 * Starts archon on the shared ZooKeeper under this test file's private root
 * (beforeAll) with an auditor that records every event, and stops it and
 * removes the root (afterAll); each explorer suite calls it once at the top.
 */
export function useExplorerBackend() {
  beforeAll(async () => {
    backend = await startArchonTestBackend({
      zookeeper: {
        connectionString: cluster.zookeeper.connectionString,
        root: `${ns.zkRoot}/pheidippides`,
      },
      // These suites test what the explorer answers, not its deadline
      // (zookeeperDeadline.test does): a page of 1000 children with their
      // stats took over the default 10 s on a loaded machine (a 503).
      archon: { zookeeper: { requestTimeoutSeconds: 60 } },
      features: [
        archonPlugin,
        mockServices.auditor.mock({
          createEvent: async options => {
            const event: (typeof auditEvents)[number] = {
              eventId: options.eventId,
              meta: options.meta,
            };
            auditEvents.push(event);
            return {
              success: async (o?: { meta?: unknown }) => {
                event.outcome = 'success';
                event.successMeta = o?.meta;
              },
              fail: async () => {
                event.outcome = 'fail';
              },
            };
          },
        }).factory,
      ],
    });
    server = backend.server;
    zk = await externalClient();
    const res = await create(base, { createParents: true });
    if (res.status !== 201)
      throw new Error(
        `could not create ${base}: ${res.status} ${JSON.stringify(res.body)}`,
      );
  });

  // The file's private root goes with it: the shared ZooKeeper keeps no
  // subtree of a finished run.
  afterAll(async () => {
    zk?.close();
    await backend?.stop();
    await removeZnodeTree(cluster.zookeeper.connectionString, ns.zkRoot);
  });
}
