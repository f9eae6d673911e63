/*
 * The watch-driven configuration cache on the shared ZooKeeper: a change made
 * by another client shows up, and keeps showing up after the read that
 * follows a watch failed once (the connection dropped while it was in
 * flight). That read is what re-arms the one-shot watch, so giving up on it
 * left the level unwatched: the cache then served the old value as current
 * for as long as the session lived (seen in a clean-clone run of
 * zookeeperDeadline.test.ts, where ZooKeeper froze during such a read).
 */
import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import {
  eventually,
  getTestCluster,
  testNamespace,
} from '@archon/local-cluster/testing';
import { getConfigSetCodec } from '../core';
import { ZooKeeperSession } from '../../zookeeper/ZooKeeperSession';
import { readZooKeeperEnsembles } from '../../zookeeper/ZooKeeperEnsembleConfig';
import { ConfigTreeCache } from './ConfigTreeCache';

jest.setTimeout(90_000);

const cluster = getTestCluster();
const ns = testNamespace('config-tree-cache');
const root = `${ns.zkRoot}/pheidippides`;

let session: ZooKeeperSession;
let other: ZooKeeperSession;
let cache: ConfigTreeCache;

function sessionOnTestCluster() {
  const [ensemble] = readZooKeeperEnsembles(
    new ConfigReader({
      archon: {
        zookeeper: {
          ensembles: [
            {
              name: 'local',
              connectionString: cluster.zookeeper.connectionString,
              root,
            },
          ],
        },
      },
    }),
  ).ensembles;
  return new ZooKeeperSession(ensemble, mockServices.logger.mock());
}

/** Writes a level's set as another client would (zkCli, a deploy script). */
async function writeLevel(path: string, properties: Record<string, string>) {
  const znode = `${root}${path}`;
  const data = Buffer.from(`${JSON.stringify(properties, null, 2)}\n`);
  const stat = await other.exists(znode);
  await other.multi([
    stat
      ? { type: 'setData', path: znode, data, version: stat.version }
      : { type: 'create', path: znode, data },
  ]);
}

function colorOf(path: string) {
  return cache.snapshot().get(path)?.properties.color;
}

/** Creates a znode unless it exists (another test file may create the same parent). */
async function ensure(znode: string) {
  if (await other.exists(znode)) return;
  try {
    await other.multi([{ type: 'create', path: znode, data: Buffer.alloc(0) }]);
  } catch (error) {
    if (!(await other.exists(znode))) throw error;
  }
}

beforeAll(async () => {
  other = sessionOnTestCluster();
  for (const znode of ['/archon-test', ns.zkRoot, root]) await ensure(znode);
  await writeLevel('/app', { color: 'blue' });
  session = sessionOnTestCluster();
  cache = new ConfigTreeCache({
    session,
    root,
    codec: getConfigSetCodec('json'),
    logger: mockServices.logger.mock(),
  });
  cache.start();
  await cache.ready(30_000);
});

afterAll(async () => {
  for (const znode of [`${root}/app`, root, ns.zkRoot]) {
    const stat = await other.exists(znode).catch(() => undefined);
    if (stat) await other.multi([{ type: 'remove', path: znode, version: -1 }]);
  }
  session?.close();
  other?.close();
});

it('sees another client change a level, and keeps watching it after the read that follows a watch failed once', async () => {
  expect(colorOf('/app')).toBe('blue');

  // The next read of the level's znode fails as a dropped connection does.
  const znode = `${root}/app`;
  const getData = session.getData.bind(session);
  let dropped = 0;
  jest.spyOn(session, 'getData').mockImplementation(async (path, watcher) => {
    if (path === znode && dropped === 0) {
      dropped++;
      throw new ServiceUnavailableError('connection dropped (injected)');
    }
    return getData(path, watcher);
  });

  await writeLevel('/app', { color: 'green' });
  await eventually(() => expect(dropped).toBe(1));
  await eventually(() => expect(colorOf('/app')).toBe('green'), 60_000);

  // The watch is armed again: the next change arrives too.
  await writeLevel('/app', { color: 'red' });
  await eventually(() => expect(colorOf('/app')).toBe('red'), 60_000);
});
