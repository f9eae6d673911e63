/*
 * The fault harness on a private ZooKeeper: a frozen service keeps its port
 * open but answers nothing, a thawed one answers again with its data, a
 * stopped one refuses connections, and the shared cluster is never touched.
 */
import net from 'node:net';
import {
  freezeService,
  PrivateCluster,
  startPrivateCluster,
  thawService,
} from './index';
import { probeZookeeper } from './lib/probes';
import { resolveSettings } from './lib/settings';

jest.setTimeout(120_000);

let cluster: PrivateCluster;

beforeAll(async () => {
  cluster = await startPrivateCluster(['zookeeper'], { label: 'faults-test' });
});

afterAll(async () => {
  await cluster?.dispose();
});

/** Whether a TCP connection to the port is accepted (a frozen process's kernel still accepts). */
function accepts(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('freezes and thaws a private service by its process group', async () => {
  const port = cluster.info.zookeeper.port;
  expect((await probeZookeeper('127.0.0.1', port, 2000)).mode).toBe(
    'standalone',
  );

  await cluster.freeze('zookeeper');
  const started = Date.now();
  await expect(probeZookeeper('127.0.0.1', port, 1000)).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(3000);
  expect(await accepts(port)).toBe(true);

  await cluster.thaw('zookeeper');
  expect((await probeZookeeper('127.0.0.1', port, 2000)).mode).toBe(
    'standalone',
  );
});

it('stops and starts a private service on the same port', async () => {
  const port = cluster.info.zookeeper.port;
  await cluster.stop('zookeeper');
  expect(await accepts(port)).toBe(false);
  await cluster.start('zookeeper');
  expect((await probeZookeeper('127.0.0.1', port, 2000)).mode).toBe(
    'standalone',
  );
});

it('refuses to freeze the shared cluster or a service without a run folder', async () => {
  await expect(freezeService('zookeeper', {})).rejects.toThrow(
    /pass the runDir of a private instance/,
  );
  await expect(
    thawService('zookeeper', { runDir: resolveSettings().runDir }),
  ).rejects.toThrow(/is the shared cluster's run folder/);
  await expect(freezeService('kafka', cluster.options)).rejects.toThrow(
    /kafka: it is not running/,
  );
});
