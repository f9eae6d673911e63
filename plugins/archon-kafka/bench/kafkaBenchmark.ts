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
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchonKafkaEntityProvider } from '../src/catalog/ArchonKafkaEntityProvider';
import { KafkaTopology } from '../src/catalog/KafkaTopology';
import { ConnectService } from '../src/connect/ConnectService';
import { ConsumerGroupService } from '../src/kafka/ConsumerGroupService';
import { KafkaClientFactory } from '../src/kafka/KafkaClientFactory';
import { KafkaService } from '../src/kafka/KafkaService';

const TOPICS = Number(process.env.BENCH_TOPICS ?? 10_000);
// 20,000 partitions need a bigger broker heap than the local default
// (at 512 MiB the broker missed its KRaft heartbeats while creating them).
process.env.ARCHON_KAFKA_HEAP ??= '2g';
const PARTITIONS = 2;
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

function ensureKcat(): string | undefined {
  if (spawnSync('kcat', ['-V']).status === 0) return 'kcat';
  console.log('installing kcat (apt)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'kcat'], { stdio: 'ignore' });
  return spawnSync('kcat', ['-V']).status === 0 ? 'kcat' : undefined;
}

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
    // A fresh cluster creates __consumer_offsets on the first coordinator
    // look-up; wait for it before timing the commits.
    await adapter.createTopic(
      {
        name: 'bench-warmup',
        partitions: 1,
        replicationFactor: 1,
        configs: {},
      },
      false,
    );
    for (let attempt = 0; ; attempt++) {
      try {
        await adapter.commitOffsets('bench-warmup', [
          { topic: 'bench-warmup', partition: 0, offset: 0 },
        ]);
        break;
      } catch (error) {
        if (attempt > 240) throw error;
        await new Promise(r => setTimeout(r, 500));
      }
    }
    await timed(
      `create ${TOPICS} topics × ${PARTITIONS} partitions`,
      async () => {
        const admin = clients.createKafka(clients.getCluster('bench')!).admin();
        await admin.connect();
        for (let i = 0; i < TOPICS; i += 500) {
          await admin.createTopics({
            waitForLeaders: false,
            timeout: 120_000,
            topics: Array.from(
              { length: Math.min(500, TOPICS - i) },
              (_, k) => ({
                topic: `bench-${String(i + k).padStart(5, '0')}`,
                numPartitions: PARTITIONS,
                replicationFactor: 1,
              }),
            ),
          });
        }
        await admin.disconnect();
      },
    );
    // Wait until every partition has a leader, so commits land and each side sees the same cluster.
    for (;;) {
      const meta = await adapter.metadata();
      const parts = meta.topics.flatMap(t => t.partitions);
      if (meta.topics.length >= TOPICS && parts.every(p => p.leader >= 0))
        break;
      await new Promise(r => setTimeout(r, 500));
    }

    await timed(`commit offsets for ${GROUPS} groups`, async () => {
      for (let g = 0; g < GROUPS; g += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, GROUPS - g) }, (_, k) =>
            adapter.commitOffsets(`bench-group-${g + k}`, [
              {
                topic: `bench-${String((g + k) % TOPICS).padStart(5, '0')}`,
                partition: 0,
                offset: 0,
              },
            ]),
          ),
        );
      }
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
