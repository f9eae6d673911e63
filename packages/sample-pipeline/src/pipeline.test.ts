import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import {
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import type { SeedResult } from './seed';
import { APPS_DIR, sampleClient } from './__testUtils__/sampleClient';
import { readLines, waitForSinkLines } from './verify';

jest.setTimeout(300_000);

interface EdgeView {
  from: string;
  to: string;
  kind: string;
  evidence?: { declared?: string[]; observed?: string[] };
  drift?: string;
}
interface NodeView {
  id: string;
  kind: string;
  attributes?: Record<string, unknown>;
  status?: { state: string };
}

/**
 * The sample pipeline seeded through archon's API under a private name,
 * against archon's backend with every module, the shared local Kafka and
 * Connect, and a local Marathon running the apps as real processes.
 */
describe('the sample pipeline', () => {
  let backend: ArchonTestBackend;
  let name: string;
  let dataDir: string;
  let first: SeedResult;
  let tap: Consumer | undefined;
  const { api, json, seed } = sampleClient(() => ({
    url: backend.url,
    name,
    dataDir,
  }));

  beforeAll(async () => {
    // archon's backend with every technology module (Kafka, Connect,
    // Marathon), as the portal runs it, on a real port: the shared local
    // ZooKeeper (a private root), Kafka and Connect, and a local
    // Marathon-compatible server of its own (apps run as real processes and
    // stop with it). Mock auth accepts requests without a token.
    backend = await startArchonTestBackend({
      label: 'flow',
      features: [archonPlugin, archonModuleKafka, archonModuleMarathon],
      kafka: { graph: { refreshIntervalSeconds: 2 } },
      connect: true,
      marathon: { deploymentTimeoutMs: 60_000, taskKillGraceMs: 2000 },
    });
    name = backend.ns.topicPrefix.replace(/-$/, '');
    // The Connect worker runs locally and reads/writes files under the run folder.
    dataDir = path.join(backend.cluster.runDir, 'sample-pipeline-test', name);
    first = await seed();
  });

  afterAll(async () => {
    await tap?.disconnect();
    if (!backend) return;
    // By name, so a run that failed half-way is cleaned up too.
    for (const c of ['source', 'sink'])
      await api(`/connect/local/connectors/${name}-file-${c}`, {
        method: 'DELETE',
      });
    await backend.stop();
    const admin = new Kafka({
      brokers: backend.cluster.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin
      .deleteTopics({
        topics: ['raw', 'enriched', 'aggregated', 'errors'].map(
          t => `${name}.${t}`,
        ),
      })
      .catch(() => undefined);
    // The apps' groups empty once their members' sessions end.
    await admin
      .deleteGroups([
        `${name}-enricher`,
        `${name}-aggregator`,
        `${name}-tap`,
        `connect-${name}-file-sink`,
      ])
      .catch(() => undefined);
    await admin.disconnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is seeded through the API and data flows from the source file to the sink file', async () => {
    expect(first.steps.map(s => `${s.outcome} ${s.what}`).sort()).toEqual(
      [
        ...[
          '',
          '/pipeline',
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
          '/web',
        ].map(p => `created configuration /${name}${p}`),
        ...['raw', 'enriched', 'aggregated', 'errors'].map(
          t => `created topic ${name}.${t}`,
        ),
        `created connector ${name}-file-source`,
        `created connector ${name}-file-sink`,
        ...[
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
          '/web',
        ].map(p => `deployed app /${name}${p}`),
      ].sort(),
    );
    // The apps run with what archon rendered from the hierarchy, `${...}` resolved.
    const effective = await json(`/config/effective/${name}/pipeline/enricher`);
    expect(effective.properties).toMatchObject({
      'kafka.input.topics': `${name}.raw`,
      'kafka.output.topics': `${name}.enriched`,
      'kafka.client.id': 'enricher',
      'marathon.cmd': `exec "${process.execPath}" "${APPS_DIR}/enricher.mjs"`,
    });

    const sink = await waitForSinkLines(
      first.definition.files.output,
      10,
      120_000,
    );
    // One aggregate per source line, in order of arrival: count=1, 2, ...
    expect(sink[0]).toMatch(/^count=1 words=\d+ last="\S+ #\d+ [a-z ]+"$/);
    const counts = sink.map(l => Number(/^count=(\d+)/.exec(l)?.[1]));
    expect(counts.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const messages = async (topic: string) =>
      (await json(`/kafka/local/topics/${topic}`)).messages as number;
    const figures = {
      sourceLines: readLines(first.definition.files.input).length,
      raw: await messages(`${name}.raw`),
      enriched: await messages(`${name}.enriched`),
      aggregated: await messages(`${name}.aggregated`),
      errors: await messages(`${name}.errors`),
      sinkLines: readLines(first.definition.files.output).length,
    };
    // Reported by the test run; every stage moved data, nothing went to errors.
    console.log(`sample pipeline figures: ${JSON.stringify(figures)}`);
    expect(figures.raw).toBeGreaterThanOrEqual(10);
    expect(figures.enriched).toBeGreaterThanOrEqual(10);
    expect(figures.aggregated).toBeGreaterThanOrEqual(10);
    expect(figures.sinkLines).toBeGreaterThanOrEqual(10);
    expect(figures.errors).toBe(0);
  });

  it('a second seeding changes nothing', async () => {
    const log: string[] = [];
    const again = await seed(line => log.push(line));
    expect(again.changed).toBe(0);
    // One environment here: the seed says why it mirrors nothing.
    expect(again.mirror).toBeUndefined();
    expect(log).toContain(
      '  skipped   the mirror to a second environment: archon knows one Kafka cluster (local), none to mirror to',
    );
    expect(again.steps).toHaveLength(first.steps.length);
    expect(again.steps.every(s => s.outcome === 'unchanged')).toBe(true);
  });

  it('shows the pipeline in the graph: nodes, edges with evidence, drift, impact and lineage', async () => {
    // A consumer group nobody's configuration declares, reading the middle topic.
    tap = new Kafka({
      clientId: 'pipeline-tap',
      brokers: backend.cluster.kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: `${name}-tap` });
    await tap.connect();
    await tap.subscribe({ topic: `${name}.enriched`, fromBeginning: true });
    await tap.run({ eachMessage: async () => {} });

    const n = name;
    const { input, output } = first.definition.files;
    const app = (p: string) => `app:local/${n}${p}`;
    const topic = (t: string) => `topic:local/${n}.${t}`;
    const group = (g: string) => `group:local/${g}`;
    const expectedNodes = [
      ...[
        '/pipeline/appender',
        '/pipeline/enricher',
        '/pipeline/aggregator',
        '/web',
      ].map(app),
      ...[
        '',
        '/pipeline',
        '/pipeline/appender',
        '/pipeline/enricher',
        '/pipeline/aggregator',
        '/web',
      ].map(p => `config:/${n}${p}`),
      ...['raw', 'enriched', 'aggregated', 'errors'].map(topic),
      ...[
        `${n}-enricher`,
        `${n}-aggregator`,
        `${n}-tap`,
        `connect-${n}-file-sink`,
      ].map(group),
      `connector:local/${n}-file-source`,
      `connector:local/${n}-file-sink`,
      `route:local.external/${n}.archon.local/`,
    ].sort();

    const read = async () => {
      const graph = (await json('/graph')) as {
        nodes: NodeView[];
        edges: EdgeView[];
      };
      const nodes = graph.nodes.filter(x => x.id.includes(n));
      const edges = graph.edges.filter(
        e => e.from.includes(n) || e.to.includes(n),
      );
      const release = (p: string) =>
        nodes.find(x => x.id === app(p))?.attributes?.release as
          | string
          | undefined;
      return { nodes, edges, release };
    };
    const expectedEdges = (release: (p: string) => string | undefined) => {
      const from = (p: string) =>
        ` (deployed from /${n}${p}, release ${release(p)})`;
      const declaredEnv = (env: string, p: string) => [`env ${env}${from(p)}`];
      const groupSeen = (g: string, partitions: number) => [
        `group ${g} committed offsets on ${partitions} partition${
          partitions === 1 ? '' : 's'
        }`,
        `1 member of group ${g} assigned ${partitions} partition${
          partitions === 1 ? '' : 's'
        }`,
      ];
      const through = (g: string, partitions: number) =>
        groupSeen(g, partitions).map(
          o => `${o} (through consumer group ${group(g)})`,
        );
      const active = (c: string) => [
        `active topic of connector ${c} (Connect's /connectors/${c}/topics)`,
      ];
      const edge = (
        f: string,
        kind: string,
        t: string,
        evidence?: EdgeView['evidence'],
        drift?: string,
      ) =>
        JSON.stringify({
          from: f,
          kind,
          to: t,
          evidence: evidence ?? null,
          drift: drift ?? null,
        });
      return [
        ...[
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
          '/web',
        ].map(p => edge(app(p), 'runs-on', 'cluster:marathon/local')),
        ...[
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
          '/web',
        ].map(p => edge(`config:/${n}`, 'configured-by', app(p))),
        ...[
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
        ].map(p => edge(`config:/${n}/pipeline`, 'configured-by', app(p))),
        ...[
          '/pipeline/appender',
          '/pipeline/enricher',
          '/pipeline/aggregator',
          '/web',
        ].map(p => edge(`config:/${n}${p}`, 'configured-by', app(p))),
        ...['raw', 'enriched', 'aggregated', 'errors'].map(t =>
          edge(topic(t), 'runs-on', 'cluster:kafka/local'),
        ),
        ...[
          `${n}-enricher`,
          `${n}-aggregator`,
          `${n}-tap`,
          `connect-${n}-file-sink`,
        ].map(g => edge(group(g), 'runs-on', 'cluster:kafka/local')),
        ...['source', 'sink'].map(c =>
          edge(
            `connector:local/${n}-file-${c}`,
            'runs-on',
            'cluster:connect/local',
          ),
        ),
        edge(
          `connector:local/${n}-file-source`,
          'source-writes',
          topic('raw'),
          { declared: ['config topic'], observed: active(`${n}-file-source`) },
        ),
        edge(topic('raw'), 'consumes-from', group(`${n}-enricher`), {
          observed: groupSeen(`${n}-enricher`, 1),
        }),
        edge(group(`${n}-enricher`), 'belongs-to', app('/pipeline/enricher'), {
          declared: declaredEnv('KAFKA_GROUP_ID', '/pipeline/enricher'),
        }),
        edge(topic('raw'), 'consumes-from', app('/pipeline/enricher'), {
          declared: declaredEnv('KAFKA_INPUT_TOPICS', '/pipeline/enricher'),
          observed: through(`${n}-enricher`, 1),
        }),
        // Kafka does not tell who produces: produce edges are compared on
        // their declarations (observation comes and goes with the topic's rate).
        edge(app('/pipeline/enricher'), 'produces-to', topic('enriched'), {
          declared: declaredEnv('KAFKA_OUTPUT_TOPICS', '/pipeline/enricher'),
        }),
        edge(app('/pipeline/enricher'), 'produces-to', topic('errors'), {
          declared: declaredEnv('KAFKA_ERROR_TOPICS', '/pipeline/enricher'),
        }),
        edge(topic('enriched'), 'consumes-from', group(`${n}-aggregator`), {
          observed: groupSeen(`${n}-aggregator`, 2),
        }),
        // Nobody declares the tap group: an undeclared consumer is drift.
        edge(
          topic('enriched'),
          'consumes-from',
          group(`${n}-tap`),
          { observed: groupSeen(`${n}-tap`, 2) },
          'observed-not-declared',
        ),
        edge(
          group(`${n}-aggregator`),
          'belongs-to',
          app('/pipeline/aggregator'),
          { declared: declaredEnv('KAFKA_GROUP_ID', '/pipeline/aggregator') },
        ),
        edge(topic('enriched'), 'consumes-from', app('/pipeline/aggregator'), {
          declared: declaredEnv('KAFKA_INPUT_TOPICS', '/pipeline/aggregator'),
          observed: through(`${n}-aggregator`, 2),
        }),
        edge(app('/pipeline/aggregator'), 'produces-to', topic('aggregated'), {
          declared: declaredEnv('KAFKA_OUTPUT_TOPICS', '/pipeline/aggregator'),
        }),
        edge(
          topic('aggregated'),
          'consumes-from',
          group(`connect-${n}-file-sink`),
          { observed: groupSeen(`connect-${n}-file-sink`, 2) },
        ),
        edge(
          topic('aggregated'),
          'sink-reads',
          `connector:local/${n}-file-sink`,
          { declared: ['config topics'], observed: active(`${n}-file-sink`) },
        ),
        // Outside Kafka: the files the appender and the web app declare
        // (archon.writes.files / archon.reads.files) meet the connectors' `file`.
        edge(
          app('/pipeline/appender'),
          'source-reads',
          `connector:local/${n}-file-source`,
          {
            declared: [
              `/${n}/pipeline/appender writes file:${input}: label ARCHON_WRITES_FILES${from(
                '/pipeline/appender',
              )}`,
              `${n}-file-source reads file:${input}: config file`,
            ],
          },
        ),
        edge(`connector:local/${n}-file-sink`, 'sink-writes', app('/web'), {
          declared: [
            `${n}-file-sink writes file:${output}: config file`,
            `/${n}/web reads file:${output}: label ARCHON_READS_FILES${from(
              '/web',
            )}`,
          ],
        }),
      ].sort();
    };
    const actualEdges = (edges: EdgeView[]) =>
      edges
        .filter(e => e.kind !== 'routes-to')
        .map(e =>
          e.kind === 'produces-to'
            ? JSON.stringify({
                from: e.from,
                kind: e.kind,
                to: e.to,
                evidence: { declared: e.evidence?.declared },
                drift: null,
              })
            : JSON.stringify({
                from: e.from,
                kind: e.kind,
                to: e.to,
                evidence: e.evidence ?? null,
                drift: e.drift ?? null,
              }),
        )
        .sort();

    // Parts refresh on their own (Marathon pushes, Kafka every 2 s here):
    // wait until the graph holds what the running pipeline shows.
    let last = await read();
    const deadline = Date.now() + 120_000;
    while (
      Date.now() < deadline &&
      (JSON.stringify(last.nodes.map(x => x.id).sort()) !==
        JSON.stringify(expectedNodes) ||
        JSON.stringify(actualEdges(last.edges)) !==
          JSON.stringify(expectedEdges(last.release)))
    ) {
      await new Promise(r => setTimeout(r, 1000));
      last = await read();
    }
    expect(last.nodes.map(x => x.id).sort()).toEqual(expectedNodes);
    expect(actualEdges(last.edges)).toEqual(expectedEdges(last.release));
    const routes = last.edges.filter(e => e.kind === 'routes-to');
    expect(routes).toHaveLength(1);
    expect(routes[0]).toMatchObject({
      from: `route:local.external/${n}.archon.local/`,
      to: app('/web'),
      evidence: {
        declared: [
          expect.stringMatching(
            new RegExp(
              `^labels HAPROXY_0_VHOST=${n}\\.archon\\.local HAPROXY_GROUP=external \\(service port \\d+, weight 0\\)$`,
            ),
          ),
        ],
      },
    });
    // Only the web app has a health check: the pipeline's stages run, and
    // nothing verifies more than that (the graph says running, not healthy).
    for (const x of last.nodes.filter(
      y => y.kind === 'app' || y.kind === 'connector',
    ))
      expect([x.id, x.status?.state]).toEqual([
        x.id,
        x.kind === 'app' && x.id !== app('/web') ? 'running' : 'healthy',
      ]);

    // Drift: the errors topic is declared (enricher's kafka.error.topics) but
    // nothing reads it and nothing was written to it.
    const drift = (await json('/graph?drift=true')) as { edges: EdgeView[] };
    const errorsEdges = last.edges.filter(
      e => e.to === topic('errors') || e.from === topic('errors'),
    );
    expect(errorsEdges.map(e => e.kind).sort()).toEqual([
      'produces-to',
      'runs-on',
    ]);
    expect(
      drift.edges.filter(e => e.to === topic('errors')).map(e => e.drift),
    ).toEqual(['declared-not-observed']);
    expect((await json(`/kafka/local/topics/${n}.errors`)).messages).toBe(0);
    // The tap group reads the middle topic, observed only: no app declares it.
    const tapEdges = last.edges.filter(
      e => e.from === group(`${n}-tap`) || e.to === group(`${n}-tap`),
    );
    expect(
      tapEdges
        .map(
          e => `${e.kind} ${e.evidence?.declared ? 'declared' : 'undeclared'}`,
        )
        .sort(),
    ).toEqual(['consumes-from undeclared', 'runs-on undeclared']);
    expect(
      drift.edges.filter(e => e.to === group(`${n}-tap`)).map(e => e.drift),
    ).toEqual(['observed-not-declared']);
    // A produce edge is only ever observed as the sole declared writer of a moving topic.
    for (const e of last.edges.filter(x => x.kind === 'produces-to')) {
      for (const o of e.evidence?.observed ?? [])
        expect(o).toMatch(/is its only declared producer$/);
    }

    // Impact of the middle topic: the downstream app, the sink connector and
    // the web app reading the sink's file.
    const impact = (await json(
      `/graph/impact/${encodeURIComponent(topic('enriched'))}`,
    )) as {
      affected: Array<{ node: NodeView }>;
    };
    const affected = impact.affected.map(a => a.node.id);
    expect(affected.filter(id => /^(app|connector):/.test(id)).sort()).toEqual(
      [
        app('/pipeline/aggregator'),
        `connector:local/${n}-file-sink`,
        app('/web'),
      ].sort(),
    );
    expect(affected).toEqual(
      expect.arrayContaining([topic('aggregated'), group(`${n}-tap`)]),
    );

    // Lineage from the first stage, the appender, reaches the last, the web
    // app, one stage further at each step: the chain has an edge for every stage.
    const lineage = (await json(
      `/graph/lineage/${encodeURIComponent(
        app('/pipeline/appender'),
      )}?direction=down&depth=12`,
    )) as {
      nodes: Array<NodeView & { side: string; distance: number }>;
    };
    const down = lineage.nodes.filter(
      x => x.side === 'down' && /^(app|topic|connector):/.test(x.id),
    );
    expect(down.map(x => [x.id, x.distance])).toEqual(
      expect.arrayContaining([
        [`connector:local/${n}-file-source`, 1],
        [topic('raw'), 2],
        [app('/pipeline/enricher'), 3],
        [topic('enriched'), 4],
        [app('/pipeline/aggregator'), 5],
        [topic('aggregated'), 6],
        [`connector:local/${n}-file-sink`, 7],
        [app('/web'), 8],
      ]),
    );
    expect(down.map(x => x.id).sort()).toEqual(
      [
        `connector:local/${n}-file-source`,
        topic('raw'),
        app('/pipeline/enricher'),
        topic('enriched'),
        topic('errors'),
        app('/pipeline/aggregator'),
        topic('aggregated'),
        `connector:local/${n}-file-sink`,
        app('/web'),
      ].sort(),
    );
    // The appender's impact crosses its file into Kafka and out again (the
    // sink is 7 edges away, past impact's default depth of 6).
    const appenderImpact = (await json(
      `/graph/impact/${encodeURIComponent(app('/pipeline/appender'))}?depth=8`,
    )) as { affected: Array<{ node: NodeView }> };
    expect(appenderImpact.affected.map(a => a.node.id)).toEqual(
      expect.arrayContaining([
        `connector:local/${n}-file-source`,
        `connector:local/${n}-file-sink`,
      ]),
    );
  });
});
