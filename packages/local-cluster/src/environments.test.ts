import fs from 'node:fs';
import path from 'node:path';
import { ourProcesses } from './cluster';
import {
  ensureLocalCluster,
  getClusterStatus,
  KAFKA_VERSION,
  startPrivateCluster,
  startService,
  stopLocalCluster,
  ZOOKEEPER_VERSION,
} from './index';
import { DEFAULT_PORTS, resolveSettings } from './lib/settings';
import { processArgs } from './lib/process';
import { httpGetJson, probeZookeeper } from './lib/probes';
import { readState } from './lib/state';
import { runCli } from './testUtils/cli';
import { blockPort } from './testUtils/portBlocker';
import { getTestCluster } from './testing';

jest.setTimeout(180_000);

/** Real processes: the shared cluster that globalSetup started (or reused), both environments. */
describe('the second environment (dr)', () => {
  it('runs beside local with its own ZooKeeper, Kafka, Connect and Marathon', async () => {
    const info = await ensureLocalCluster();
    const dr = info.dr!;
    expect(dr).toBeDefined();
    expect(getTestCluster().dr).toEqual(dr);

    expect(dr.zookeeper.port).not.toBe(info.zookeeper.port);
    expect(dr.kafka.port).not.toBe(info.kafka.port);
    expect(dr.connect.port).not.toBe(info.connect.port);
    expect(dr.marathon?.port).not.toBe(info.marathon?.port);
    expect(dr.zookeeper).toMatchObject({
      connectionString: `127.0.0.1:${dr.zookeeper.port}`,
      version: ZOOKEEPER_VERSION,
    });
    expect(dr.kafka).toMatchObject({
      brokers: [`127.0.0.1:${dr.kafka.port}`],
      version: KAFKA_VERSION,
    });

    // Two ZooKeeper servers: a znode count of one says nothing, but each
    // answers srvr on its own port in standalone mode.
    const srvr = await probeZookeeper('127.0.0.1', dr.zookeeper.port);
    expect(srvr.mode).toBe('standalone');

    // Each Connect worker sits on its own Kafka cluster (GET / names the cluster id).
    const localRoot = await httpGetJson(info.connect.url, 5_000);
    const drRoot = await httpGetJson(dr.connect.url, 5_000);
    const clusterId = (body: unknown) =>
      (body as { kafka_cluster_id?: string }).kafka_cluster_id;
    expect(clusterId(drRoot.body)).toMatch(/\S/);
    expect(clusterId(drRoot.body)).not.toBe(clusterId(localRoot.body));

    const ping = await httpGetJson(`${dr.marathon!.url}/v2/info`, 5_000);
    expect(ping.status).toBe(200);
  });

  it('loads the MirrorMaker 2 connectors in dr’s Connect worker', async () => {
    const dr = getTestCluster().dr!;
    const plugins = await httpGetJson(`${dr.connect.url}/connector-plugins`);
    const classes = (plugins.body as Array<{ class: string; version: string }>)
      .filter(p => p.class.startsWith('org.apache.kafka.connect.mirror.'))
      .map(p => `${p.class.replace(/.*\./, '')} ${p.version}`)
      .sort();
    expect(classes).toEqual([
      `MirrorCheckpointConnector ${KAFKA_VERSION}`,
      `MirrorHeartbeatConnector ${KAFKA_VERSION}`,
      `MirrorSourceConnector ${KAFKA_VERSION}`,
    ]);
  });

  it('status and cluster.json list both environments, dr with its smaller heaps', async () => {
    const status = await getClusterStatus();
    const byName = Object.fromEntries(status.map(s => [s.name, s]));
    const dr = getTestCluster().dr!;
    for (const [name, port] of [
      ['zookeeper-dr', dr.zookeeper.port],
      ['kafka-dr', dr.kafka.port],
      ['connect-dr', dr.connect.port],
      ['marathon-dr', dr.marathon!.port],
    ] as const) {
      expect(byName[name]).toMatchObject({ state: 'running', port });
      expect(byName[name].logFile).toMatch(new RegExp(`/${name}/logs/`));
    }
    expect(byName.kafka.state).toBe('running');

    const settings = resolveSettings();
    const recorded = readState(settings.runDir).services;
    const argv = (name: 'zookeeper-dr' | 'kafka-dr' | 'connect-dr') =>
      processArgs(recorded[name]!.pid) ?? [];
    expect(argv('zookeeper-dr')).toContain('-Xmx128m');
    // ARCHON_DR_KAFKA_HEAP may raise the broker's (as ARCHON_KAFKA_HEAP does local's).
    expect(argv('kafka-dr')).toContain(
      `-Xmx${process.env.ARCHON_DR_KAFKA_HEAP || '256m'}`,
    );
    expect(argv('connect-dr')).toContain('-Xmx384m');
    expect(argv('kafka-dr')).toContain('-Darchon.service=kafka-dr');
  });

  it('reads its ports from ARCHON_DR_* (controller = broker + 1 by default)', () => {
    const defaults = resolveSettings({ env: {} }).ports;
    expect(defaults).toMatchObject({
      zookeeperDr: 2191,
      zookeeperAdminDr: 2192,
      kafkaDr: 9192,
      kafkaControllerDr: 9193,
      connectDr: 8183,
      marathonDr: 8180,
    });
    expect(DEFAULT_PORTS.kafkaDr).toBe(9192);
    const moved = resolveSettings({
      env: { ARCHON_DR_KAFKA_PORT: '29192', ARCHON_DR_CONNECT_PORT: '28183' },
    });
    expect(moved.ports).toMatchObject({
      kafkaDr: 29192,
      kafkaControllerDr: 29193,
      connectDr: 28183,
    });
    expect(moved.explicitPorts.has('kafkaDr')).toBe(true);
    expect(() =>
      resolveSettings({ env: { ARCHON_DR_ZK_PORT: 'two' } }),
    ).toThrow(
      "ARCHON_DR_ZK_PORT must be a port number between 1 and 65535, got 'two'",
    );
  });

  // A private instance: stopping the shared dr would pull it from under the
  // other suites and the portal.
  it('stop stops both environments by process group; a private cluster gets free dr ports', async () => {
    const cluster = await startPrivateCluster(['zookeeper', 'zookeeper-dr'], {
      label: 'dr-stop',
    });
    const options = { runDir: cluster.options.runDir };
    try {
      const ports = cluster.options.ports;
      expect(ports.zookeeperDr).not.toBe(DEFAULT_PORTS.zookeeperDr);
      const srvr = await probeZookeeper('127.0.0.1', ports.zookeeperDr!);
      expect(srvr.mode).toBe('standalone');
      const pids = {
        local: ourProcesses('zookeeper', options),
        dr: ourProcesses('zookeeper-dr', options),
      };
      expect(pids.local).toHaveLength(1);
      expect(pids.dr).toHaveLength(1);
      expect(pids.dr).not.toEqual(pids.local);

      await stopLocalCluster([], options);
      expect(ourProcesses('zookeeper', options)).toEqual([]);
      expect(ourProcesses('zookeeper-dr', options)).toEqual([]);
      const status = await getClusterStatus(options);
      expect(
        status
          .filter(s => s.name.startsWith('zookeeper'))
          .map(s => `${s.name} ${s.state}`),
      ).toEqual(['zookeeper stopped', 'zookeeper-dr stopped']);
    } finally {
      await cluster.dispose();
    }
  });

  describe('with a port taken by someone else', () => {
    let blocked: Awaited<ReturnType<typeof blockPort>>;
    let port: number;
    let runDir: string;

    beforeAll(async () => {
      blocked = await blockPort('dr-ports');
      ({ port, runDir } = blocked);
    });
    afterAll(() => blocked.close());

    it('the CLI names the dr port and its variable', async () => {
      const result = await runCli(['start', 'kafka-dr'], {
        ARCHON_RUN_DIR: runDir,
        ARCHON_DR_KAFKA_PORT: String(port),
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `local-cluster: port ${port} (Kafka (dr) broker port) is already in use by another program; set ARCHON_DR_KAFKA_PORT to a free port`,
      ]);
      expect(fs.existsSync(path.join(runDir, 'kafka-dr', 'kafka-dr.pid'))).toBe(
        false,
      );
    });

    it('the library rejects starting marathon-dr with a ClusterError', async () => {
      await expect(
        startService('marathon-dr', { runDir, ports: { marathonDr: port } }),
      ).rejects.toMatchObject({
        name: 'ClusterError',
        message: `port ${port} (Marathon (dr) HTTP port) is already in use by another program; set ARCHON_DR_MARATHON_PORT to a free port`,
      });
    });
  });
});
