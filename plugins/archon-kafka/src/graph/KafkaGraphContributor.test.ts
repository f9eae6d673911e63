import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testNamespace, waitFor } from '@archon/test-utils';
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { entityName } from '../catalog/entities';
import { KafkaTopology } from '../catalog/KafkaTopology';
import { ConnectService } from '../connect/ConnectService';
import { ConsumerGroupService } from '../kafka/ConsumerGroupService';
import { declaredConnectorTopics } from './declaredConnectorTopics';
import { KafkaGraphContributor } from './KafkaGraphContributor';
import { localGraphContributor } from '../__testUtils__/localGraphContributor';

jest.setTimeout(180_000);

describe('declaredConnectorTopics', () => {
  it('reads topics, topic, kafka.topic and expands topics.regex and topic.prefix against existing topics', () => {
    const existing = [
      'orders',
      'orders-eu',
      'db.shop.items',
      'db.shop.users',
      'other',
    ];
    expect(
      Object.fromEntries(
        declaredConnectorTopics(
          { topics: 'a, b', topic: 'c', 'kafka.topic': 'a' },
          existing,
        ),
      ),
    ).toEqual({
      a: ['config topics', 'config kafka.topic'],
      b: ['config topics'],
      c: ['config topic'],
    });
    expect(
      Object.fromEntries(
        declaredConnectorTopics({ 'topics.regex': 'orders.*' }, existing),
      ),
    ).toEqual({
      orders: ['config topics.regex=orders.*'],
      'orders-eu': ['config topics.regex=orders.*'],
    });
    // Connect matches the whole name, not a substring.
    expect([
      ...declaredConnectorTopics({ 'topics.regex': 'rders' }, existing).keys(),
    ]).toEqual([]);
    expect([
      ...declaredConnectorTopics({ 'topics.regex': '(' }, existing).keys(),
    ]).toEqual([]);
    expect(
      Object.fromEntries(
        declaredConnectorTopics({ 'topic.prefix': 'db.shop.' }, existing),
      ),
    ).toEqual({
      'db.shop.items': ['config topic.prefix=db.shop.'],
      'db.shop.users': ['config topic.prefix=db.shop.'],
    });
  });
});

/**
 * The contributor against the local Kafka and Connect: real topics, a running
 * consumer group, an idle group with committed offsets, a FileStream source
 * and a FileStream sink selecting topics by regex.
 */
describe('KafkaGraphContributor against the local cluster', () => {
  const ns = testNamespace('graph');
  const p = ns.topicPrefix;
  const t = {
    raw: `${p}raw`,
    lines: `${p}lines`,
    regexA: `${p}regex-a`,
    regexB: `${p}regex-b`,
  };
  const groups = {
    active: `${ns.groupPrefix}active`,
    idle: `${ns.groupPrefix}idle`,
  };
  const connectors = { source: `${p}file-source`, sink: `${p}file-sink` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-graph-'));
  const { cluster, logger, clients, kafkaService, connect, contributor } =
    localGraphContributor({
      clientId: 'archon-graph-test',
      catalogNamespace: 'default',
    });
  const fixture = new Kafka({
    clientId: 'archon-graph-fixture',
    brokers: cluster.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  let consumer: Consumer | undefined;

  /** Only what this test created (other test files share the cluster). */
  const mine = (graph: ArchonGraphContribution) => {
    const ours = (nodeId: string) =>
      nodeId.slice(nodeId.indexOf('/') + 1).startsWith(p);
    return {
      nodes: new Map(graph.nodes.filter(n => ours(n.id)).map(n => [n.id, n])),
      edges: graph.edges
        .filter(e => ours(e.from) && (ours(e.to) || e.kind === 'runs-on'))
        .map(
          e =>
            `${e.from} ${e.kind} ${e.to} ${JSON.stringify(e.evidence ?? null)}`,
        )
        .sort(),
    };
  };

  beforeAll(async () => {
    const admin = fixture.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: t.raw, numPartitions: 2 },
        { topic: t.lines, numPartitions: 1 },
        { topic: t.regexA, numPartitions: 1 },
        { topic: t.regexB, numPartitions: 1 },
      ],
    });
    const producer = fixture.producer();
    await producer.connect();
    await producer.send({
      topic: t.raw,
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 1 },
        { value: 'c', partition: 1 },
      ],
    });
    await producer.send({
      topic: t.regexA,
      messages: [{ value: 'to the sink' }],
    });
    await producer.disconnect();
    // An idle group: offsets committed on the lines topic, no members.
    await admin.setOffsets({
      groupId: groups.idle,
      topic: t.lines,
      partitions: [{ partition: 0, offset: '0' }],
    });
    await admin.disconnect();

    consumer = fixture.consumer({ groupId: groups.active });
    await consumer.connect();
    await consumer.subscribe({ topic: t.raw, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    await waitFor(
      async () => (seen >= 3 ? true : undefined),
      90_000,
      'the active group to consume',
    );

    fs.writeFileSync(path.join(dir, 'in.txt'), 'one\ntwo\n');
    await connect.create('local', connectors.source, {
      'connector.class':
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: path.join(dir, 'in.txt'),
      topic: t.lines,
    });
    await connect.create('local', connectors.sink, {
      'connector.class':
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'tasks.max': '1',
      file: path.join(dir, 'out.txt'),
      'topics.regex': `${p}regex-.*`,
      // The fixture's record is plain text, not the worker's default JSON.
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    for (const name of Object.values(connectors))
      await connect.delete('local', name).catch(() => undefined);
    const admin = fixture.admin();
    await admin.connect();
    await admin
      .deleteGroups([groups.active, groups.idle])
      .catch(() => undefined);
    await admin
      .deleteTopics({ topics: Object.values(t) })
      .catch(() => undefined);
    await admin.disconnect();
    await clients.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('contributes topics, groups, connectors and their edges with evidence', async () => {
    // Wait until Kafka and Connect show what the fixtures did: the active
    // group's commits, the source's two lines, both connectors' active topics.
    let last: ReturnType<typeof mine> | undefined;
    const graph = await waitFor(
      async () => {
        const g = mine(
          await contributor.snapshot({ signal: new AbortController().signal }),
        );
        last = g;
        const ready =
          g.nodes.get(`group:local/${groups.active}`)?.status?.metrics?.lag ===
            0 &&
          (
            g.nodes.get(`group:local/${groups.active}`)?.attributes as {
              state?: string;
            }
          )?.state === 'Stable' &&
          g.nodes.get(`group:local/${groups.idle}`)?.status?.metrics?.lag ===
            2 &&
          g.edges.some(
            e =>
              e.startsWith(
                `connector:local/${connectors.source} source-writes`,
              ) && e.includes('observed'),
          ) &&
          g.edges.some(
            e =>
              e.startsWith(`topic:local/${t.regexA} sink-reads`) &&
              e.includes('observed'),
          );
        return ready ? g : undefined;
      },
      90_000,
      'the fixtures to show',
    ).catch(error => {
      throw new Error(
        `${error.message}; last seen: ${JSON.stringify(
          { nodes: [...(last?.nodes.values() ?? [])], edges: last?.edges },
          null,
          1,
        )}`,
      );
    });

    expect(graph.nodes.get(`topic:local/${t.raw}`)).toEqual({
      id: `topic:local/${t.raw}`,
      kind: 'topic',
      name: t.raw,
      system: 'kafka',
      cluster: 'local',
      entityRef: `resource:default/${entityName('local', t.raw)}`,
      attributes: { partitions: 2, replicationFactor: 1 },
      status: {
        state: 'healthy',
        summary: 'lag 0',
        metrics: { partitions: 2, lag: 0 },
        sampledAt: expect.any(String),
      },
    });
    expect(graph.nodes.get(`topic:local/${t.lines}`)?.status).toMatchObject({
      state: 'healthy',
      metrics: { partitions: 1, lag: 2 },
    });
    expect(graph.nodes.get(`group:local/${groups.active}`)).toEqual({
      id: `group:local/${groups.active}`,
      kind: 'consumer-group',
      name: groups.active,
      system: 'kafka',
      cluster: 'local',
      attributes: {
        state: 'Stable',
        members: 1,
        topics: [t.raw],
        // This contributor has no lag samples: no time lag, and why.
        lagging: false,
        timeLagUnknown: 'lag sampling is not set up',
      },
      status: {
        state: 'healthy',
        summary: 'Stable, 1 member, lag 0',
        metrics: { members: 1, lag: 0 },
        sampledAt: expect.any(String),
      },
    });
    expect(graph.nodes.get(`group:local/${groups.idle}`)).toMatchObject({
      attributes: { state: 'Empty', members: 0, topics: [t.lines] },
      status: {
        state: 'stopped',
        summary: 'Empty, 0 members, lag 2, time lag unknown',
        metrics: { members: 0, lag: 2 },
      },
    });
    expect(graph.nodes.get(`connector:local/${connectors.source}`)).toEqual({
      id: `connector:local/${connectors.source}`,
      kind: 'connector',
      name: connectors.source,
      system: 'connect',
      cluster: 'local',
      entityRef: `component:default/${entityName('local', connectors.source)}`,
      attributes: {
        class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        type: 'source',
        tasks: 1,
        kafkaCluster: 'local',
        // What the graph matches with the apps declaring they write this file.
        endpoints: {
          reads: [
            {
              endpoint: `file:${path.join(dir, 'in.txt')}`,
              declared: 'config file',
            },
          ],
        },
      },
      status: {
        state: 'healthy',
        summary: 'RUNNING, 1/1 task running',
        metrics: { tasks: 1, tasksRunning: 1, tasksFailed: 0 },
        sampledAt: expect.any(String),
      },
    });
    expect(
      graph.nodes.get(`connector:local/${connectors.sink}`)?.attributes
        ?.endpoints,
    ).toEqual({
      writes: [
        {
          endpoint: `file:${path.join(dir, 'out.txt')}`,
          declared: 'config file',
        },
      ],
    });
    expect([...graph.nodes.keys()].sort()).toEqual(
      [
        ...Object.values(t).map(x => `topic:local/${x}`),
        ...Object.values(groups).map(g => `group:local/${g}`),
        ...Object.values(connectors).map(c => `connector:local/${c}`),
      ].sort(),
    );

    const observedSource = `active topic of connector ${connectors.source} (Connect's /connectors/${connectors.source}/topics)`;
    const observedSink = `active topic of connector ${connectors.sink} (Connect's /connectors/${connectors.sink}/topics)`;
    const regex = `config topics.regex=${p}regex-.*`;
    expect(graph.edges).toEqual(
      [
        `connector:local/${connectors.sink} runs-on cluster:connect/local null`,
        `connector:local/${connectors.source} runs-on cluster:connect/local null`,
        `connector:local/${connectors.source} source-writes topic:local/${
          t.lines
        } ${JSON.stringify({
          declared: ['config topic'],
          observed: [observedSource],
        })}`,
        `group:local/${groups.active} runs-on cluster:kafka/local null`,
        `group:local/${groups.idle} runs-on cluster:kafka/local null`,
        `topic:local/${t.lines} consumes-from group:local/${
          groups.idle
        } ${JSON.stringify({
          observed: [`group ${groups.idle} committed offsets on 1 partition`],
        })}`,
        `topic:local/${t.lines} runs-on cluster:kafka/local null`,
        `topic:local/${t.raw} consumes-from group:local/${
          groups.active
        } ${JSON.stringify({
          observed: [
            `group ${groups.active} committed offsets on 2 partitions`,
            `1 member of group ${groups.active} assigned 2 partitions`,
          ],
        })}`,
        `topic:local/${t.raw} runs-on cluster:kafka/local null`,
        // Declared by the regex; only regex-a had a record, so only it is active.
        `topic:local/${t.regexA} runs-on cluster:kafka/local null`,
        `topic:local/${t.regexA} sink-reads connector:local/${
          connectors.sink
        } ${JSON.stringify({ declared: [regex], observed: [observedSink] })}`,
        `topic:local/${t.regexB} runs-on cluster:kafka/local null`,
        `topic:local/${t.regexB} sink-reads connector:local/${
          connectors.sink
        } ${JSON.stringify({ declared: [regex] })}`,
      ].sort(),
    );
  });

  it("reads the committed offsets once per snapshot, for both the groups' topics and their lag", async () => {
    const committedOffsets = jest.spyOn(
      clients.adapter('local'),
      'committedOffsets',
    );
    try {
      const graph = mine(
        await contributor.snapshot({ signal: new AbortController().signal }),
      );
      expect(committedOffsets).toHaveBeenCalledTimes(1);
      // And the lag still comes from them: the idle group is 2 behind.
      expect(
        graph.nodes.get(`group:local/${groups.idle}`)?.status?.metrics?.lag,
      ).toBe(2);
    } finally {
      committedOffsets.mockRestore();
    }
  });

  it('keeps the last good part of a cluster that stops answering, with the cluster node failed', async () => {
    const down = new ConnectService([
      {
        name: 'local',
        url: cluster.connect.url,
        kafkaCluster: 'local',
        requestTimeoutMs: 10_000,
      },
    ]);
    const flaky = new KafkaGraphContributor(
      {
        topology: new KafkaTopology(clients, down),
        groups: new ConsumerGroupService(kafkaService),
      },
      logger,
    );
    const before = await flaky.snapshot({
      signal: new AbortController().signal,
    });
    expect(
      before.nodes.find(n => n.id === 'cluster:connect/local')?.status?.state,
    ).not.toBe('failed');
    // The same cluster name, now pointing at a closed port.
    jest
      .spyOn(down, 'list')
      .mockRejectedValue(
        new Error(
          'Kafka Connect cluster "local" is unreachable at http://127.0.0.1:1',
        ),
      );
    const after = await flaky.snapshot({
      signal: new AbortController().signal,
    });
    expect(
      after.nodes.find(n => n.id === 'cluster:connect/local')?.status,
    ).toMatchObject({
      state: 'failed',
      summary:
        'unreachable: Kafka Connect cluster "local" is unreachable at http://127.0.0.1:1',
    });
    const connectorIds = (g: ArchonGraphContribution) =>
      g.nodes
        .filter(n => n.kind === 'connector' && n.name.startsWith(p))
        .map(n => n.id)
        .sort();
    expect(connectorIds(after)).toEqual(connectorIds(before));
    expect(connectorIds(after)).toHaveLength(2);
  });
});
