/*
 * Seeding a private Kafka for the benchmarks: topics created in batches of
 * 500, every partition led, consumer groups with one committed offset each,
 * and kcat as the metadata floor. Shared by kafkaBenchmark.ts and the scale
 * scenario (scripts/bench/scale).
 */
import { spawnSync } from 'node:child_process';
import type { KafkaAdapter } from '../src/kafka/adapter/KafkaAdapter';
import type { KafkaClientFactory } from '../src/kafka/KafkaClientFactory';

/** The name of the benchmark's topic number `i`: bench-00000, bench-00001, ... */
export const benchTopic = (i: number) => `bench-${String(i).padStart(5, '0')}`;

/** kcat on PATH, installed with apt-get when missing; undefined when it cannot be. */
export function ensureKcat(): string | undefined {
  if (spawnSync('kcat', ['-V']).status === 0) return 'kcat';
  console.log('installing kcat (apt)…');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'kcat'], { stdio: 'ignore' });
  return spawnSync('kcat', ['-V']).status === 0 ? 'kcat' : undefined;
}

/** A fresh cluster creates __consumer_offsets on the first coordinator look-up; waits until commits land. */
export async function waitForOffsetsTopic(adapter: KafkaAdapter) {
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
}

/** Creates `count` topics of `partitions` partitions each, 500 a request. */
export async function createBenchTopics(
  clients: KafkaClientFactory,
  cluster: string,
  count: number,
  partitions: number,
) {
  const admin = clients.createKafka(clients.getCluster(cluster)!).admin();
  await admin.connect();
  for (let i = 0; i < count; i += 500) {
    await admin.createTopics({
      waitForLeaders: false,
      timeout: 120_000,
      topics: Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
        topic: benchTopic(i + k),
        numPartitions: partitions,
        replicationFactor: 1,
      })),
    });
  }
  await admin.disconnect();
}

/** Waits until there are `count` topics and every partition has a leader. */
export async function waitForLeaders(adapter: KafkaAdapter, count: number) {
  for (;;) {
    const meta = await adapter.metadata();
    const parts = meta.topics.flatMap(t => t.partitions);
    if (meta.topics.length >= count && parts.every(p => p.leader >= 0)) break;
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Commits offset 0 for `groups` consumer groups bench-group-N, each on one topic of the first `topics`, 50 at a time. */
export async function commitBenchGroups(
  adapter: KafkaAdapter,
  groups: number,
  topics: number,
) {
  for (let g = 0; g < groups; g += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, groups - g) }, (_, k) =>
        adapter.commitOffsets(`bench-group-${g + k}`, [
          {
            topic: benchTopic((g + k) % topics),
            partition: 0,
            offset: 0,
          },
        ]),
      ),
    );
  }
}
