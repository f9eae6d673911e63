/*
 * Kafka benchmark at the size where popular Kafka UIs freeze: 10,000 topics
 * (20,000 partitions) and 2,000 consumer groups with committed offsets.
 * Prints figures; asserts nothing.
 *
 *   yarn workspace @archon/plugin-archon-kafka bench
 *
 * Runs against a private Kafka of its own (started from the local cluster's
 * jars in a temporary run folder, on free ports) so the shared cluster and
 * the tests are untouched, and removes it afterwards. Compares archon's full
 * topic listing with counts against `kcat -L` (metadata only) in the same
 * run, then times a full lag snapshot of all groups and reports the memory
 * the listing holds.
 */
import { findFreePort, startService, stopService } from '@archon/local-cluster';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchonKafkaEntityProvider } from '../src/catalog/ArchonKafkaEntityProvider';
import { KafkaTopology } from '../src/catalog/KafkaTopology';
import { ConnectService } from '../src/connect/ConnectService';
import { ConsumerGroupService } from '../src/kafka/ConsumerGroupService';
import { KafkaClientFactory } from '../src/kafka/KafkaClientFactory';
import { KafkaService } from '../src/kafka/KafkaService';
import {
  ALL_FIGURE_READS,
  readTopicFigures,
  type FigureRead,
} from '../src/kafka/topicFigures';
import {
  commitBenchGroups,
  createBenchTopics,
  ensureKcat,
  waitForLeaders,
  waitForOffsetsTopic,
} from './seedKafka';

const TOPICS = Number(process.env.BENCH_TOPICS ?? 10_000);
// 20,000 partitions need a bigger broker heap than the local default
// (at 512 MiB the broker missed its KRaft heartbeats while creating them).
process.env.ARCHON_KAFKA_HEAP ??= '2g';
// BENCH_PARTITIONS=1 where the open-files limit (ulimit -n) cannot hold
// 20,000 partitions on one broker (it keeps files open per partition).
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 2);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 2_000);

const logger: any = {
  info() {},
  debug() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child() {
    return logger;
  },
};

async function timed<T>(
  label: string,
  fn: () => Promise<T>,
): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  const ms = performance.now() - started;
  console.log(`${label}: ${ms.toFixed(0)} ms`);
  return [value, ms];
}

async function main() {
  const runDir = mkdtempSync(join(tmpdir(), 'archon-kafka-bench-'));
  const kafkaPort = await findFreePort();
  const options = {
    runDir,
    ports: { kafka: kafkaPort, kafkaController: await findFreePort() },
  };
  await timed('start a private Kafka', () => startService('kafka', options));
  const broker = `127.0.0.1:${kafkaPort}`;
  const clients = new KafkaClientFactory(
    [
      {
        name: 'bench',
        brokers: [broker],
        clientId: 'archon-bench',
        requestTimeoutMs: 60_000,
      },
    ],
    logger,
  );
  const kafka = new KafkaService(clients);
  const groups = new ConsumerGroupService(kafka);
  const adapter = clients.adapter('bench');
  try {
    await waitForOffsetsTopic(adapter);
    await timed(
      `create ${TOPICS} topics × ${PARTITIONS} partitions`,
      async () => {
        await createBenchTopics(clients, 'bench', TOPICS, PARTITIONS);
      },
    );
    await waitForLeaders(adapter, TOPICS);

    await timed(`commit offsets for ${GROUPS} groups`, async () => {
      await commitBenchGroups(adapter, GROUPS, TOPICS);
    });
    // Collect first and after, holding the listing, so the difference is what it keeps alive.
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const [listing, archonMs] = await timed(
      'archon: list all topics with message counts',
      () =>
        kafka.listTopics('bench', {
          page: { limit: TOPICS + 100, sort: 'name', order: 'asc' },
        }),
    );
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(
      `  ${listing.items.length} topics, ${listing.items.reduce(
        (n, t) => n + t.partitions,
        0,
      )} partitions`,
    );
    const [, secondMs] = await timed('archon: the same, second time', () =>
      kafka.listTopics('bench', {
        page: { limit: TOPICS + 100, sort: 'name', order: 'asc' },
      }),
    );
    const [, pageMs] = await timed(
      'archon: one page of 100 (what the UI asks for)',
      () =>
        kafka.listTopics('bench', {
          page: { limit: 100, sort: 'name', order: 'asc' },
        }),
    );

    // Where a listing's time goes: the metadata round trip and each figure
    // read on its own, for all topics at once (the store-backed reads, rates
    // and groups, are not set up here).
    const [meta] = await timed('  of which: metadata of all topics', () =>
      adapter.metadata(),
    );
    const kafkaReads: FigureRead[] = ALL_FIGURE_READS.filter(
      r => r !== 'rate' && r !== 'groups',
    );
    for (const read of kafkaReads) {
      await timed(`  of which: the ${read} figure of all topics`, () =>
        readTopicFigures({
          kafka: adapter,
          meta,
          cluster: 'bench',
          topics: meta.topics,
          reads: new Set([read]),
        }),
      );
    }

    const kcat = ensureKcat();
    if (kcat) {
      const started = performance.now();
      const out = execFileSync(kcat, ['-L', '-b', broker], {
        maxBuffer: 256 * 1024 * 1024,
      }).toString();
      const kcatMs = performance.now() - started;
      console.log(
        `kcat -L (metadata only, no counts): ${kcatMs.toFixed(0)} ms (${
          (out.match(/topic "/g) ?? []).length
        } topics)`,
      );
      console.log(
        `ratio archon full listing with counts / kcat -L: ${(
          archonMs / kcatMs
        ).toFixed(2)}x (second run ${(secondMs / kcatMs).toFixed(
          2,
        )}x, one page ${(pageMs / kcatMs).toFixed(2)}x)`,
      );
    } else {
      console.log('kcat is not available: no baseline');
    }

    // The catalog: a full refresh reads every topic; unchanged topics must
    // come out byte-identical so the catalog does not rebuild them.
    const provider = new ArchonKafkaEntityProvider({
      topology: new KafkaTopology(clients, new ConnectService([]), 0),
      defaults: {
        namespace: 'default',
        owner: 'group:default/kafka-admins',
        lifecycle: 'production',
        locationRef: 'url:http://archon/api/archon/kafka',
      },
      logger,
    });
    const [first] = await timed('catalog: entity provider full read', () =>
      provider.read(),
    );
    const [second] = await timed('catalog: the same, second read', () =>
      provider.read(),
    );
    const changed = first.filter(
      (e, i) => JSON.stringify(e) !== JSON.stringify(second[i]),
    ).length;
    console.log(
      `  ${first.length} entities; ${changed} differ between the two reads (0 = nothing rebuilt)`,
    );
    const topology = new KafkaTopology(clients, new ConnectService([]));
    const [usage] = await timed(
      `catalog: consumer group → topic map of ${GROUPS} groups`,
      () => topology.groupTopics('bench'),
    );
    console.log(`  ${usage.size} groups mapped`);

    const [snapshot] = await timed(`lag snapshot of all ${GROUPS} groups`, () =>
      groups.lagSnapshot('bench'),
    );
    console.log(
      `  ${
        (snapshot as { rows?: unknown[] }).rows?.length ?? '?'
      } group/topic rows`,
    );
    global.gc?.();
    console.log(
      `memory: heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(
        0,
      )} MiB, rss ${(process.memoryUsage().rss / 1048576).toFixed(
        0,
      )} MiB; the full listing added ~${(
        (heapAfter - heapBefore) /
        1048576
      ).toFixed(0)} MiB of heap`,
    );
  } finally {
    await clients.close();
    await stopService('kafka', options);
    rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(`benchmark failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
