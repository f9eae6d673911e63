import {
  ensureLocalCluster,
  getClusterStatus,
  KAFKA_VERSION,
  readClusterInfo,
  restartService,
  ZOOKEEPER_VERSION,
} from './index';
import { probeKafka, probeZookeeper } from './lib/probes';
import { readState } from './lib/state';
import { resolveSettings } from './lib/settings';
import { getTestCluster } from './testing';

jest.setTimeout(180_000);

describe('local cluster end to end', () => {
  it('ensureLocalCluster reuses the running cluster', async () => {
    const settings = resolveSettings();
    const pidsBefore = readState(settings.runDir).services;
    const info = await ensureLocalCluster();

    expect(info).toEqual(expect.objectContaining(getTestCluster()));
    expect(info.zookeeper).toMatchObject({
      connectionString: `127.0.0.1:${info.zookeeper.port}`,
      version: ZOOKEEPER_VERSION,
    });
    expect(info.kafka).toMatchObject({
      brokers: [`127.0.0.1:${info.kafka.port}`],
      version: KAFKA_VERSION,
    });
    expect(info.connect).toMatchObject({
      url: `http://127.0.0.1:${info.connect.port}`,
      version: KAFKA_VERSION,
    });

    const pidsAfter = readState(settings.runDir).services;
    for (const name of ['zookeeper', 'kafka', 'connect'] as const) {
      expect(pidsAfter[name]?.pid).toBe(pidsBefore[name]?.pid);
    }
  });

  it('status reports every service', async () => {
    const status = await getClusterStatus();
    const byName = Object.fromEntries(status.map(s => [s.name, s]));
    const info = getTestCluster();
    expect(byName.zookeeper).toMatchObject({
      state: 'running',
      port: info.zookeeper.port,
      version: ZOOKEEPER_VERSION,
    });
    expect(byName.kafka).toMatchObject({
      state: 'running',
      port: info.kafka.port,
      version: KAFKA_VERSION,
    });
    expect(byName.connect).toMatchObject({
      state: 'running',
      port: info.connect.port,
      version: KAFKA_VERSION,
    });
    expect(byName.zookeeper.logFile).toMatch(/zookeeper\.log$/);
    expect(['running', 'stopped']).toContain(byName.postgres.state);
  });

  it('restartService(zookeeper) brings ZooKeeper back healthy on the same ports', async () => {
    const before = readClusterInfo()!;
    const oldPid = readState(before.runDir).services.zookeeper!.pid;

    const result = await restartService('zookeeper');

    expect(result.action).toBe('started');
    expect(result.record.pid).not.toBe(oldPid);
    expect(result.record.port).toBe(before.zookeeper.port);
    expect(result.record.ports.admin).toBe(before.zookeeper.adminPort);
    const srvr = await probeZookeeper('127.0.0.1', before.zookeeper.port);
    expect(srvr.mode).toBe('standalone');
    // Kafka (KRaft) does not depend on ZooKeeper and stays up.
    await expect(
      probeKafka('127.0.0.1', before.kafka.port, 1),
    ).resolves.toBeDefined();

    const after = readClusterInfo()!;
    expect(after.zookeeper.port).toBe(before.zookeeper.port);
    const status = await getClusterStatus();
    expect(status.find(s => s.name === 'zookeeper')).toMatchObject({
      state: 'running',
      pid: result.record.pid,
    });
  });
});
