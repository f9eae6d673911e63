import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { mockServices } from '@backstage/backend-test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import {
  eventually,
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import { findMirrorTarget } from './mirror';
import type { SeedResult } from './seed';
import { sampleClient } from './__testUtils__/sampleClient';
import { readLines, waitForSinkLines } from './verify';

jest.setTimeout(420_000);

describe('findMirrorTarget', () => {
  const local = { kafkaCluster: 'local', instance: 'local' };
  const kafka = [
    { name: 'local', brokers: ['127.0.0.1:9092'] },
    { name: 'dr', brokers: ['127.0.0.1:9192'] },
  ];
  it('takes the other Kafka cluster, the Connect cluster on it and the Marathon instance of its name', () => {
    expect(
      findMirrorTarget(
        local,
        kafka,
        [
          { name: 'local', kafkaCluster: 'local' },
          { name: 'dr-connect', kafkaCluster: 'dr' },
        ],
        ['local', 'dr'],
      ),
    ).toEqual({
      kafkaCluster: 'dr',
      brokers: ['127.0.0.1:9192'],
      connectCluster: 'dr-connect',
      instance: 'dr',
    });
  });
  it('says why there is none', () => {
    expect(findMirrorTarget(local, [kafka[0]], [], ['local'])).toMatch(
      /one Kafka cluster \(local\)/,
    );
    expect(
      findMirrorTarget(
        local,
        kafka,
        [{ name: 'local', kafkaCluster: 'local' }],
        ['local', 'dr'],
      ),
    ).toMatch(/no Connect cluster writes to dr/);
    expect(
      findMirrorTarget(
        local,
        kafka,
        [{ name: 'dr', kafkaCluster: 'dr' }],
        ['local'],
      ),
    ).toMatch(/no Marathon instance besides local/);
  });
});

/**
 * The sample seeded against archon with both environments of the local
 * cluster: local's `<name>.aggregated` mirrored by MirrorMaker 2 on dr's
 * Connect to `local.<name>.aggregated` on dr's Kafka, read there by the
 * archiver on dr's Marathon (a private one, as `local`'s).
 */
describe('the sample mirrored to the second environment', () => {
  let backend: ArchonTestBackend;
  let name: string;
  let dataDir: string;
  let first: SeedResult;
  // The Kafka sampler's task, run by hand: its samples give the topics the write rates the mirror is observed by.
  const tasks: Array<{ id: string; fn: (signal: any) => unknown }> = [];
  const sample = () =>
    tasks
      .find(t => t.id === 'archon-kafka-sampler')!
      .fn(new AbortController().signal as any);
  const { json, seed } = sampleClient(() => ({
    url: backend.url,
    name,
    dataDir,
  }));

  beforeAll(async () => {
    backend = await startArchonTestBackend({
      label: 'mirror',
      features: [
        archonPlugin,
        archonModuleKafka,
        archonModuleMarathon,
        mockServices.scheduler.mock({
          scheduleTask: jest.fn(async task => void tasks.push(task)),
        }).factory,
      ],
      kafka: {
        graph: { refreshIntervalSeconds: 2 },
        sampler: { enabled: true },
      },
      connect: true,
      marathon: { deploymentTimeoutMs: 60_000, taskKillGraceMs: 2000 },
      secondEnvironment: true,
    });
    name = backend.ns.topicPrefix.replace(/-$/, '');
    dataDir = path.join(backend.cluster.runDir, 'sample-pipeline-test', name);
    first = await seed();
  });

  afterAll(async () => {
    if (!backend) return;
    for (const [cluster, c] of [
      ['local', `${name}-file-source`],
      ['local', `${name}-file-sink`],
      ['dr', `${name}-mirror-dr`],
    ])
      await fetch(
        `${backend.url}/api/archon/connect/${cluster}/connectors/${c}`,
        {
          method: 'DELETE',
        },
      );
    await backend.stop();
    for (const [brokers, topics, groups] of [
      [
        backend.cluster.kafka.brokers,
        ['raw', 'enriched', 'aggregated', 'errors'].map(t => `${name}.${t}`),
        [`${name}-enricher`, `${name}-aggregator`, `connect-${name}-file-sink`],
      ],
      [
        backend.cluster.dr!.kafka.brokers,
        [`local.${name}.aggregated`],
        [`${name}-dr-archiver`],
      ],
    ]) {
      const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds the mirror through the API: the dr levels, the replica, MirrorMaker on dr, the archiver on dr', async () => {
    const steps = first.steps.map(s => `${s.outcome} ${s.what}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        `created configuration /${name}/dr`,
        `created configuration /${name}/dr/archiver`,
        `created topic local.${name}.aggregated on dr`,
        `created connector ${name}-mirror-dr`,
        `deployed app /${name}/dr/archiver`,
      ]),
    );
    const connector = await json(`/connect/dr/connectors/${name}-mirror-dr`);
    expect(connector.config).toMatchObject({
      'source.cluster.alias': 'local',
      'target.cluster.alias': 'dr',
      topics: `${name}.aggregated`,
    });
    const apps = await json(`/marathon/dr/apps`);
    expect(JSON.stringify(apps)).toContain(`/${name}/dr/archiver`);
  });

  it('carries the aggregates across clusters to the dr archiver', async () => {
    // The same lines the local sink writes reach the archiver through dr's replica.
    const archive = first.mirror!.archive;
    const archived = await waitForSinkLines(archive, 3, 240_000);
    await eventually(() => {
      const local = new Set(readLines(first.definition.files.output));
      expect(archived.slice(0, 3).every(l => local.has(l))).toBe(true);
    }, 60_000);
    expect(archived[0]).toMatch(/^count=\d+ words=\d+ last="/);
  });

  it('a second seeding changes nothing', async () => {
    const again = await seed();
    expect(again.changed).toBe(0);
    expect(again.steps).toHaveLength(first.steps.length);
  });

  it('draws the mirror in the graph, observed by the replica growing, and impact crosses to dr', async () => {
    const source = `topic:local/${name}.aggregated`;
    const replica = `topic:dr/local.${name}.aggregated`;
    const archiver = `app:dr/${name}/dr/archiver`;
    await eventually(
      async () => {
        // Each round takes a sample; the rates come from the two latest.
        await sample();
        const node = await json(`/graph/nodes/${encodeURIComponent(source)}`);
        const edge = node.edges.find(
          (e: { kind: string; to: string }) =>
            e.kind === 'mirrors' && e.to === replica,
        );
        expect(edge?.evidence?.declared).toEqual([
          `connector ${name}-mirror-dr: config topics=${name}.aggregated (DefaultReplicationPolicy, local.)`,
        ]);
        expect(edge.evidence.observed).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              new RegExp(`^end offsets of local.${name}.aggregated on dr move`),
            ),
          ]),
        );
        expect(edge.drift).toBeUndefined();
      },
      180_000,
      2000,
    );
    const impact = await json(`/graph/impact/${encodeURIComponent(source)}`);
    const reached = impact.affected.find(
      (a: { node: { id: string } }) => a.node.id === archiver,
    );
    expect(
      reached?.path.map(
        (e: { from: string; kind: string; to: string }) =>
          `${e.from} ${e.kind} ${e.to}`,
      ),
    ).toEqual([
      `${source} mirrors ${replica}`,
      `${replica} consumes-from ${archiver}`,
    ]);
  });
});
