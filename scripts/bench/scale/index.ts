/*
 * The scale scenario (#21): `yarn bench:scale`. Prints figures; asserts
 * nothing. See README.md beside this file.
 *
 * Builds, on a private cluster beside the shared one (its own run folder,
 * free ports, broker heap 2 GiB), 10,000 topics × 2 partitions, 2,000
 * consumer groups with commits, 5,000 configuration levels, 200 running apps
 * on the private local Marathon and their pipelines' connectors, starts a
 * private portal against it, then measures the API against its floors
 * (kcat, Kafka's own CLI, ZooKeeper, Backstage's liveness), the pages in
 * headless Chromium, the backend's memory and Kafdrop beside it. Everything
 * it starts is stopped by process group, also on failure or Ctrl-C.
 *
 * Sizes: BENCH_TOPICS, BENCH_PARTITIONS (2; 1 where the open-files limit
 * cannot hold 20,000 partitions), BENCH_GROUPS, BENCH_CONFIG_PATHS,
 * BENCH_PIPELINES (chains of BENCH_STAGES apps), BENCH_CONNECTORS (real
 * ones), BENCH_REQUESTS (per load figure); BENCH_KAFDROP=0 skips the peer.
 */
import os from 'node:os';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  findFreePort,
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import { startPrivatePortal, waitFor } from '@archon/test-utils';
import { ZooKeeperSession } from '../../../plugins/archon-backend/src/zookeeper/ZooKeeperSession';
import { KafkaClientFactory } from '../../../plugins/archon-kafka/src/kafka/KafkaClientFactory';
import {
  benchTopic,
  commitBenchGroups,
  createBenchTopics,
  waitForLeaders,
  waitForOffsetsTopic,
} from '../../../plugins/archon-kafka/bench/seedKafka';
import { configLevels, writeConfigTree } from './seedConfig';
import {
  createFlowConnectors,
  createFlowTopics,
  deployFlowApps,
  flowGroup,
  flowTopics,
} from './seedPipelines';
import {
  FIRST_PAGE,
  PortalApi,
  kafkaCliFloors,
  kcatFloor,
  listAllTopics,
  loadFigures,
  medianOf,
  timed,
} from './floors';
import { Inspector } from './inspector';
import { launchChromium, measurePages } from './pages';
import { kafdropFigures, kafdropJar } from './kafdrop';
import { printReport, type ScaleResults } from './report';
import { stopLeftovers } from './leftovers';

const ROOT = resolve(__dirname, '../../..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'bench-scale');
const CACHE = process.env.ARCHON_CACHE_DIR ?? join(ROOT, '.archon', 'cache');
const num = (name: string, fallback: number) =>
  Number(process.env[name] ?? fallback);
/**
 * Kafka keeps a file open per partition (its active segment): a broker with
 * 20,000 partitions needs more than 20,000 descriptors, and some containers
 * cap the hard limit there (it cannot be raised, even as root). Then the
 * topics get one partition each, and the table says so.
 */
function partitionsFor(topics: number): { partitions: number; why?: string } {
  const wanted = num('BENCH_PARTITIONS', 2);
  const limits = readFileSync('/proc/self/limits', 'utf8');
  const open = Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? Infinity);
  if (topics * wanted + 5_000 <= open) return { partitions: wanted };
  const partitions = Math.max(1, Math.floor((open - 5_000) / topics));
  return {
    partitions,
    why: `${wanted} partitions a topic would need more than the ${open} open files this machine allows a process (ulimit -n)`,
  };
}
const TOPICS = num('BENCH_TOPICS', 10_000);
const PARTITIONS = partitionsFor(TOPICS);
const SIZE = {
  topics: TOPICS,
  partitions: PARTITIONS.partitions,
  groups: num('BENCH_GROUPS', 2_000),
  configPaths: num('BENCH_CONFIG_PATHS', 5_000),
  pipelines: num('BENCH_PIPELINES', 20),
  stages: num('BENCH_STAGES', 10),
  connectors: num('BENCH_CONNECTORS', 40),
  requests: num('BENCH_REQUESTS', 1_000),
};
const CLIENTS = 16;
const ZK_ROOT = '/pheidippides';

const log = (line: string) => console.log(`bench:scale: ${line}`);

const quietLogger: any = {
  info() {},
  debug() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child() {
    return quietLogger;
  },
};

async function seed(
  cluster: PrivateCluster,
  results: ScaleResults,
): Promise<string[]> {
  const step = async <T>(what: string, fn: () => Promise<T>) => {
    log(`${what}…`);
    const [value, elapsed] = await timed(fn);
    results.seeds.push([what, elapsed]);
    return value;
  };
  const clients = new KafkaClientFactory(
    [
      {
        name: 'scale',
        brokers: cluster.info.kafka.brokers,
        clientId: 'archon-bench-scale',
        requestTimeoutMs: 120_000,
      },
    ],
    quietLogger,
  );
  const adapter = clients.adapter('scale');
  const shape = { pipelines: SIZE.pipelines, stages: SIZE.stages };
  const apps = shape.pipelines * shape.stages;
  const session = new ZooKeeperSession(
    {
      name: 'scale',
      connectionString: cluster.info.zookeeper.connectionString,
      root: ZK_ROOT,
      encoding: 'json',
      sessionTimeoutMs: 30_000,
      servers: [],
    },
    quietLogger,
  );
  try {
    await waitForOffsetsTopic(adapter);
    await step(
      `${SIZE.topics} topics × ${SIZE.partitions} partitions`,
      async () => {
        await createBenchTopics(clients, 'scale', SIZE.topics, SIZE.partitions);
        await waitForLeaders(adapter, SIZE.topics);
      },
    );
    await step("the pipelines' topics", async () => {
      await createFlowTopics(clients, 'scale', shape);
      await waitForLeaders(adapter, SIZE.topics + flowTopics(shape).length);
    });
    await step(`${SIZE.groups} consumer groups with commits`, async () => {
      // The apps' declared groups are real ones too, the rest bench-group-N.
      for (let p = 0; p < shape.pipelines; p++)
        for (let j = 0; j < shape.stages; j++)
          await adapter.commitOffsets(flowGroup(p, j), [
            { topic: `flow.${p}.${j}`, partition: 0, offset: 0 },
          ]);
      await commitBenchGroups(
        adapter,
        Math.max(0, SIZE.groups - apps),
        SIZE.topics,
      );
    });
    const levels = configLevels(SIZE.configPaths);
    await session.ready(30_000);
    await step(`${levels.length} configuration levels`, () =>
      writeConfigTree(session, ZK_ROOT, levels),
    );
    const parents = new Set(
      levels.map(l => l.path.slice(0, l.path.lastIndexOf('/'))),
    );
    const leaves = levels.filter(l => !parents.has(l.path)).map(l => l.path);
    await step(`${SIZE.connectors} connectors`, () =>
      createFlowConnectors(
        cluster.info.connect.url,
        cluster.options.runDir,
        shape,
        SIZE.connectors,
      ),
    );
    await step(`${apps} apps on Marathon`, () =>
      deployFlowApps(cluster.info.marathon!.url, shape, leaves),
    );
    return levels.map(l => l.path);
  } finally {
    session.close();
    await clients.close();
  }
}

async function main() {
  process.env.ARCHON_KAFKA_HEAP ??= '2g';
  mkdirSync(ARTIFACTS, { recursive: true });
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    while (cleanups.length)
      await cleanups.pop()!().catch(e => log(`cleanup: ${e.message}`));
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => {
      log(`${signal}: stopping what was started`);
      cleanup().finally(() => process.exit(code));
    });
  const results: ScaleResults = {
    size: `${SIZE.topics} topics × ${SIZE.partitions}, ${SIZE.groups} groups, ${
      SIZE.configPaths
    } config levels, ${SIZE.pipelines * SIZE.stages} apps, ${
      SIZE.connectors
    } connectors`,
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model}), ${(
      os.totalmem() /
      1024 ** 3
    ).toFixed(0)} GiB, load ${os.loadavg()[0].toFixed(1)} at start`,
    portalMode: '',
    ...(PARTITIONS.why && { note: `one partition a topic: ${PARTITIONS.why}` }),
    seeds: [],
    profiles: {},
  };
  try {
    log(
      'starting a private ZooKeeper, Kafka (heap 2 GiB), Connect and local Marathon…',
    );
    const [cluster, clusterMs] = await timed(() =>
      startPrivateCluster(['zookeeper', 'kafka', 'connect', 'marathon'], {
        label: 'bench-scale',
      }),
    );
    results.seeds.push(['private cluster start', clusterMs]);
    cleanups.push(async () => {
      await cluster.dispose({ keepLogsIn: join(ARTIFACTS, 'cluster-logs') });
      stopLeftovers(cluster.options.runDir);
    });
    const configPaths = await seed(cluster, results);

    const [portal, portalMs] = await timed(async () =>
      startPrivatePortal({
        root: ROOT,
        port: await findFreePort(),
        inspectPort: await findFreePort(),
        cluster,
        logFile: join(ARTIFACTS, 'portal.log'),
        // A 10,000-topic metadata answer takes longer than a small cluster's.
        config: `archon:\n  kafka:\n    requestTimeoutSeconds: 60`,
        readyTimeoutMs: 600_000,
        log,
      }),
    );
    cleanups.push(() => portal.stop());
    results.seeds.push(['private portal start', portalMs]);
    results.portalMode = portal.mode;
    const api = new PortalApi(portal.url, portal.token);
    const inspector = await Inspector.connect(portal.inspector!);
    cleanups.push(async () => inspector.close());
    const apps = SIZE.pipelines * SIZE.stages;
    await waitFor(
      async () =>
        (await api.json('/graph?kinds=app&q=flow')).nodes.length >= apps,
      300_000,
      `the private portal's graph to hold the ${apps} apps`,
      2000,
    );
    const flow = await api.json('/graph?q=flow');
    results.graph = `the pipelines' slice (q=flow): ${flow.nodes.length} nodes, ${flow.edges.length} edges`;

    log('floors and API figures…');
    const broker = cluster.info.kafka.brokers[0];
    results.kcat = await kcatFloor(broker);
    results.kafkaCli = kafkaCliFloors(CACHE, broker);
    const profiled = async <T>(
      step: string,
      file: string,
      fn: () => Promise<T>,
    ) => {
      const { value, top } = await inspector.profile(join(ARTIFACTS, file), fn);
      results.profiles[step] = top;
      return value;
    };
    results.listCold = await profiled(
      'the cold topic listing',
      'list-topics-cold.cpuprofile',
      () => listAllTopics(api, 'local'),
    );
    results.listWarm = await medianOf(3, () => listAllTopics(api, 'local'));
    results.listAllFigures = await medianOf(3, () =>
      listAllTopics(api, 'local', undefined),
    );
    results.firstPage = await profiled(
      "the topic list's first page (5 times)",
      'first-page.cpuprofile',
      () =>
        medianOf(5, async () => ({
          ms: (await timed(() => api.json(FIRST_PAGE('local'))))[1],
        })),
    );
    const zk = new ZooKeeperSession(
      {
        name: 'scale-floor',
        connectionString: cluster.info.zookeeper.connectionString,
        root: ZK_ROOT,
        encoding: 'json',
        sessionTimeoutMs: 30_000,
        servers: [],
      },
      quietLogger,
    );
    await zk.ready(30_000);
    try {
      results.load = await loadFigures(
        api,
        zk,
        ZK_ROOT,
        configPaths.slice(0, 1000),
        SIZE.requests,
        CLIENTS,
        log,
        (step, fn) =>
          profiled(step, `${step.replace(/\W+/g, '-')}.cpuprofile`, fn),
      );
    } finally {
      zk.close();
    }

    log('pages in headless Chromium…');
    const browser = await launchChromium();
    try {
      Object.assign(
        results,
        await measurePages(
          browser,
          portal.url,
          benchTopic(0),
          '/scale/flow-0/app-0',
          join(ARTIFACTS, 'pipelines-failure.png'),
        ),
      );
    } finally {
      await browser.close();
    }
    results.memory = await inspector.memory();

    if (process.env.BENCH_KAFDROP === '0') results.kafdrop = 'BENCH_KAFDROP=0';
    else {
      log('Kafdrop (build once, then run against the private cluster)…');
      let built: { jar?: string; reason?: string };
      try {
        built = kafdropJar(CACHE);
      } catch (error) {
        built = {
          reason: `building Kafdrop failed: ${(error as Error).message}`,
        };
      }
      results.kafdrop = built.jar
        ? await kafdropFigures({
            jar: built.jar,
            broker,
            port: await findFreePort(),
            managementPort: await findFreePort(),
            logFile: join(ARTIFACTS, 'kafdrop.log'),
          }).catch(e => `Kafdrop failed: ${e.message}`)
        : built.reason!;
    }
  } finally {
    printReport(results);
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(`bench:scale failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
