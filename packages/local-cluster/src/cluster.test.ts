import {
  ensureLocalCluster,
  getClusterStatus,
  KAFKA_VERSION,
  restartService,
  startService,
  stopService,
  ZOOKEEPER_VERSION,
} from './index';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from './lib/ports';
import { probeZookeeper } from './lib/probes';
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

    expect(info.marathon).toMatchObject({
      url: `http://127.0.0.1:${info.marathon?.port}`,
      version: '1.11.0',
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

  // On a private ZooKeeper: restarting the shared one would pull the ground
  // from under the test files that run at the same time.
  it('restartService(zookeeper) brings ZooKeeper back healthy on the same ports', async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-restart-'));
    const options = {
      runDir,
      ports: {
        zookeeper: await findFreePort(),
        zookeeperAdmin: await findFreePort(),
      },
    };
    try {
      const first = await startService('zookeeper', options);
      const result = await restartService('zookeeper', options);

      expect(result.action).toBe('started');
      expect(result.record.pid).not.toBe(first.record.pid);
      expect(result.record.port).toBe(options.ports.zookeeper);
      expect(result.record.ports.admin).toBe(options.ports.zookeeperAdmin);
      const srvr = await probeZookeeper('127.0.0.1', options.ports.zookeeper);
      expect(srvr.mode).toBe('standalone');

      const status = await getClusterStatus(options);
      expect(status.find(s => s.name === 'zookeeper')).toMatchObject({
        state: 'running',
        pid: result.record.pid,
      });
    } finally {
      await stopService('zookeeper', options);
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
});
