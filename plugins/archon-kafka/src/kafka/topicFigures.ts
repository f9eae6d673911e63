import {
  type KafkaAdapter,
  type KafkaClusterMetadata,
  type KafkaTopicMetadata,
  tpKey,
} from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import type { TopicGroupSource, TopicRateSource } from './kafkaSources';

/** The fields the topic list sorts by (the spec's `sort` of KafkaListTopics); the first is the default. */
export const TOPIC_SORT_FIELDS = [
  'name',
  'partitions',
  'replicationFactor',
  'messages',
  'sizeBytes',
  'retentionMs',
  'writeRate',
  'consumerGroups',
  'maxLag',
] as const;
export type TopicSortField = (typeof TOPIC_SORT_FIELDS)[number];

/** A topic's figures beyond its metadata; null where not read, with why in `unknown`. */
export interface TopicFigures {
  messages: number | null;
  sizeBytes: number | null;
  retentionMs: number | null;
  retentionBytes: number | null;
  writeRate: number | null;
  consumerGroups: number | null;
  maxLag: number | null;
  /** The largest time lag of those groups on the topic (sampled). */
  maxTimeLagMs: number | null;
  unknown: Record<string, string>;
}

/** The reads behind the figures: each is one batched request (or store query) for all the topics asked. */
export type FigureRead = 'messages' | 'size' | 'retention' | 'rate' | 'groups';
export const ALL_FIGURE_READS: readonly FigureRead[] = [
  'messages',
  'size',
  'retention',
  'rate',
  'groups',
];

/** Which read gives a sort field's value (none for the metadata's own fields). */
export const READ_FOR_SORT: Partial<Record<TopicSortField, FigureRead>> = {
  messages: 'messages',
  sizeBytes: 'size',
  retentionMs: 'retention',
  writeRate: 'rate',
  consumerGroups: 'groups',
  maxLag: 'groups',
};

const blank = (): TopicFigures => ({
  messages: null,
  sizeBytes: null,
  retentionMs: null,
  retentionBytes: null,
  writeRate: null,
  consumerGroups: null,
  maxLag: null,
  maxTimeLagMs: null,
  unknown: {},
});

const why = (error: unknown) => (error as Error)?.message ?? String(error);

/**
 * Reads the asked figures of `topics`, each read once for all of them (no
 * request per topic). A read that fails leaves its figures null and says why
 * in `unknown`, so a list still answers with what could be read: never a 0
 * for a figure archon does not know.
 */
export async function readTopicFigures(options: {
  kafka: KafkaAdapter;
  meta: KafkaClusterMetadata;
  cluster: string;
  topics: KafkaTopicMetadata[];
  reads: ReadonlySet<FigureRead>;
  rates?: TopicRateSource;
  groups?: TopicGroupSource;
}): Promise<Map<string, TopicFigures>> {
  const { kafka, meta, cluster, topics, reads } = options;
  const out = new Map(topics.map(t => [t.name, blank()]));
  const each = (fn: (f: TopicFigures, t: KafkaTopicMetadata) => void) => {
    for (const t of topics) fn(out.get(t.name)!, t);
  };
  const failAll = (fields: string[], reason: string) =>
    each(f => {
      for (const field of fields) f.unknown[field] = reason;
    });
  if (topics.length === 0) return out;
  const names = topics.map(t => t.name);

  const jobs: Array<Promise<void>> = [];
  if (reads.has('messages')) {
    jobs.push(
      messageCounts(kafka, topics, meta).then(
        counts =>
          each((f, t) => {
            f.messages = counts.get(t.name);
            if (f.messages === null)
              f.unknown.messages = `ListOffsets failed for a partition of ${t.name}`;
          }),
        error => failAll(['messages'], `ListOffsets failed: ${why(error)}`),
      ),
    );
  }
  if (reads.has('size')) {
    jobs.push(
      readSizes(kafka, topics).then(
        sizes =>
          each((f, t) => {
            const size = sizes.get(t.name)!;
            if (typeof size === 'number') f.sizeBytes = size;
            else f.unknown.sizeBytes = size.unknown;
          }),
        error =>
          failAll(['sizeBytes'], `DescribeLogDirs failed: ${why(error)}`),
      ),
    );
  }
  if (reads.has('retention')) {
    jobs.push(
      // Only the two entries it shows: all entries of 10,000 topics took
      // 11.3 s, these two 3.5 s, still the listing's largest share (kafka bench).
      kafka
        .describeTopicConfigs(names, ['retention.ms', 'retention.bytes'])
        .then(
          configs =>
            each((f, t) => {
              const entries = configs.get(t.name) ?? [];
              const read = (name: string) => {
                const value = entries.find(e => e.name === name)?.value;
                return value === null || value === undefined || value === ''
                  ? null
                  : Number(value);
              };
              f.retentionMs = read('retention.ms');
              f.retentionBytes = read('retention.bytes');
              if (f.retentionMs === null)
                f.unknown.retentionMs =
                  'the broker did not report retention.ms';
            }),
          error =>
            failAll(
              ['retentionMs', 'retentionBytes'],
              `DescribeConfigs failed: ${why(error)}`,
            ),
        ),
    );
  }
  if (reads.has('rate')) {
    jobs.push(
      (options.rates
        ? options.rates.topicRates(cluster, names)
        : Promise.reject(new Error('the sampler is not set up'))
      ).then(
        rates =>
          each((f, t) => {
            f.writeRate = rates.get(t.name) ?? null;
            if (f.writeRate === null)
              f.unknown.writeRate =
                'the sampler has not recorded the topic twice yet';
          }),
        error => failAll(['writeRate'], `no samples: ${why(error)}`),
      ),
    );
  }
  if (reads.has('groups')) {
    jobs.push(
      (options.groups
        ? options.groups.topicGroups(cluster, names)
        : Promise.reject(new Error('the sampler is not set up'))
      ).then(
        sample =>
          sample
            ? each((f, t) => {
                const stats = sample.byTopic.get(t.name);
                f.consumerGroups = stats?.groups ?? 0;
                f.maxLag = stats?.maxLag ?? null;
                f.maxTimeLagMs = stats?.maxTimeLagMs ?? null;
              })
            : failAll(
                ['consumerGroups', 'maxLag', 'maxTimeLagMs'],
                'no lag sample of this cluster yet (the sampler records one a minute, unless archon.kafka.sampler.enabled is false)',
              ),
        error =>
          failAll(
            ['consumerGroups', 'maxLag', 'maxTimeLagMs'],
            `no lag sample: ${why(error)}`,
          ),
      ),
    );
  }
  await Promise.all(jobs);
  return out;
}

/**
 * Bytes on disk per topic, summed over every replica on every broker
 * (DescribeLogDirs to each broker holding one). A topic with a replica on a
 * broker that failed, or that a broker did not report (an offline log
 * directory), is unknown, with why.
 */
async function readSizes(
  kafka: KafkaAdapter,
  topics: KafkaTopicMetadata[],
): Promise<Map<string, number | { unknown: string }>> {
  const brokers = new Set(
    topics.flatMap(t => t.partitions.flatMap(p => p.replicas)),
  );
  const answers = await kafka.describeLogDirs(
    [...brokers],
    topics.map(t => ({
      topic: t.name,
      partitions: t.partitions.map(p => p.partition),
    })),
  );
  const held = new Map<string, number>();
  for (const answer of answers.values()) {
    if ('error' in answer) continue;
    for (const r of answer.replicas) {
      const key = `${r.broker}\u0000${tpKey(r.topic, r.partition)}`;
      held.set(key, (held.get(key) ?? 0) + r.sizeBytes);
    }
  }
  const out = new Map<string, number | { unknown: string }>();
  for (const t of topics) {
    let sum = 0;
    let unknown: string | undefined;
    for (const p of t.partitions) {
      for (const broker of p.replicas) {
        const answer = answers.get(broker);
        if (!answer || 'error' in answer) {
          unknown = `DescribeLogDirs failed on broker ${broker}: ${
            answer ? why(answer.error) : 'no answer'
          }`;
          break;
        }
        const size = held.get(`${broker}\u0000${tpKey(t.name, p.partition)}`);
        if (size === undefined) {
          unknown = `broker ${broker} did not report partition ${p.partition} (its log directory may be offline)`;
          break;
        }
        sum += size;
      }
      if (unknown) break;
    }
    out.set(t.name, unknown ? { unknown } : sum);
  }
  return out;
}

/**
 * Messages per topic (end - start offsets of every partition), from one
 * batched ListOffsets per leader for earliest and latest; null for a topic
 * whose partition could not be read. `start`/`end` hold the offsets.
 */
export async function messageCounts(
  kafka: KafkaAdapter,
  topics: KafkaTopicMetadata[],
  meta: KafkaClusterMetadata,
) {
  const tps = topics.flatMap(t =>
    t.partitions.map(p => ({ topic: t.name, partition: p.partition })),
  );
  const [start, end] = await Promise.all([
    kafka.listOffsets(tps, EARLIEST, meta),
    kafka.listOffsets(tps, LATEST, meta),
  ]);
  const counts = new Map<string, number | null>();
  for (const t of topics) {
    let sum: number | null = 0;
    for (const p of t.partitions) {
      const s = start.get(tpKey(t.name, p.partition));
      const e = end.get(tpKey(t.name, p.partition));
      if (!s || !e || s.errorCode || e.errorCode) {
        sum = null;
        break;
      }
      sum += Math.max(0, e.offset - s.offset);
    }
    counts.set(t.name, sum);
  }
  return { get: (name: string) => counts.get(name) ?? null, start, end };
}
