import net from 'node:net';
import { requestApiVersions } from '@archon/kafka-wire';
import { getTestCluster } from '../testing';
import { KAFKA_NODE_ID } from '../services/kafka';
import {
  httpGetJson,
  parseSrvr,
  probeConnect,
  probeKafka,
  probeZookeeper,
  zkAdminCommand,
  zkFourLetterWord,
} from './probes';
import { ZOOKEEPER_VERSION } from './versions';

jest.setTimeout(180_000);

const SRVR_SAMPLE = `Zookeeper version: 3.9.5-4d0a8fbc1a2e0bb9c1dbad47e7e1a2e2b2c3f4a5, built on 2025-10-01 10:00 UTC
Latency min/avg/max: 0/0.1234/3
Received: 12
Sent: 11
Connections: 1
Outstanding: 0
Zxid: 0x1a
Mode: standalone
Node count: 7
`;

describe('parseSrvr', () => {
  it('reads version, mode and counters', () => {
    expect(parseSrvr(SRVR_SAMPLE)).toEqual({
      version: '3.9.5',
      fullVersion:
        '3.9.5-4d0a8fbc1a2e0bb9c1dbad47e7e1a2e2b2c3f4a5, built on 2025-10-01 10:00 UTC',
      mode: 'standalone',
      nodeCount: 7,
      zxid: '0x1a',
      connections: 1,
    });
  });

  it('rejects a server that is not serving', () => {
    expect(() =>
      parseSrvr('This ZooKeeper instance is not currently serving requests\n'),
    ).toThrow(/not currently serving/);
  });
});

describe('probe timeouts', () => {
  // A server that accepts connections and never answers: every probe must give up on time.
  let silent: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    silent = net.createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve =>
      silent.listen(0, '127.0.0.1', () => resolve()),
    );
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    sockets.forEach(s => s.destroy());
    await new Promise(resolve => silent.close(resolve));
  });

  it('bounds the Kafka probe', async () => {
    await expect(
      requestApiVersions('127.0.0.1', port, { timeoutMs: 300 }),
    ).rejects.toThrow(/within 300 ms/);
  });

  it('bounds the HTTP probe', async () => {
    await expect(httpGetJson(`http://127.0.0.1:${port}/`, 300)).rejects.toThrow(
      /timed out/,
    );
  });

  it('bounds the ZooKeeper probe', async () => {
    await expect(
      zkFourLetterWord('127.0.0.1', port, 'srvr', 300),
    ).rejects.toThrow(/within 300 ms/);
  });
});

describe('probes against the running cluster', () => {
  const cluster = getTestCluster();

  it('ZooKeeper answers srvr with its version', async () => {
    const status = await probeZookeeper('127.0.0.1', cluster.zookeeper.port);
    expect(status.version).toBe(ZOOKEEPER_VERSION);
    expect(status.mode).toBe('standalone');
    expect(
      await zkFourLetterWord('127.0.0.1', cluster.zookeeper.port, 'ruok'),
    ).toBe('imok');
  });

  it('ZooKeeper AdminServer answers', async () => {
    const ruok = await zkAdminCommand(
      '127.0.0.1',
      cluster.zookeeper.adminPort!,
      'ruok',
    );
    expect(ruok.error).toBeNull();
  });

  it('Kafka answers ApiVersions and lists the registered broker', async () => {
    const versions = await requestApiVersions('127.0.0.1', cluster.kafka.port, {
      timeoutMs: 3_000,
    });
    expect(versions.errorCode).toBe(0);
    // The finalized features (tagged fields kafkajs drops) carry the metadata
    // version the Kafka module reports.
    expect(versions.finalizedFeatures['metadata.version']).toBeGreaterThan(0);
    expect(
      versions.apiKeys.find(k => k.apiKey === 18)?.maxVersion,
    ).toBeGreaterThanOrEqual(3);
    const metadata = versions.apiKeys.find(k => k.apiKey === 3)!;
    expect(metadata.minVersion).toBeLessThanOrEqual(4);
    expect(metadata.maxVersion).toBeGreaterThanOrEqual(4);

    const health = await probeKafka(
      '127.0.0.1',
      cluster.kafka.port,
      KAFKA_NODE_ID,
    );
    expect(health.brokers).toEqual([
      {
        nodeId: KAFKA_NODE_ID,
        host: '127.0.0.1',
        port: cluster.kafka.port,
        rack: null,
      },
    ]);
  });

  it('Connect answers its version and lists the FileStream and MirrorMaker plugins', async () => {
    const health = await probeConnect(cluster.connect.url);
    expect(health.version).toBe(cluster.connect.version);
    expect(health.plugins).toEqual(
      expect.arrayContaining([
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      ]),
    );
  });
});
