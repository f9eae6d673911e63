import type { Config } from '@backstage/config';
import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { ConsumerGroupService } from '../kafka/ConsumerGroupService';
import type { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import { tpKey } from '../kafka/adapter/KafkaAdapter';
import { EARLIEST, LATEST } from '../kafka/adapter/wire';
import type { SampleStore } from './SampleStore';

export interface SamplerSettings {
  enabled: boolean;
  intervalSeconds: number;
  retentionHours: number;
  timeLag: boolean;
  /** Partition positions whose record is read for time lag, per cluster per sample. */
  timeLagMaxPartitions: number;
}

export function readSamplerSettings(config: Config): SamplerSettings {
  const c = config.getOptionalConfig('archon.kafka.sampler');
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    intervalSeconds: Math.max(5, c?.getOptionalNumber('intervalSeconds') ?? 60),
    retentionHours: Math.max(
      1 / 60,
      c?.getOptionalNumber('retentionHours') ?? 24,
    ),
    timeLag: c?.getOptionalBoolean('timeLag') ?? true,
    timeLagMaxPartitions: Math.max(
      0,
      c?.getOptionalNumber('timeLagMaxPartitions') ?? 1000,
    ),
  };
}

/**
 * Records each cluster's topic end offsets and every group's lag, on a
 * schedule that runs on one backend replica at a time (scheduler scope
 * `global`), and prunes what is older than the retention.
 */
export class KafkaSampler {
  readonly #clients: KafkaClientFactory;
  readonly #groups: ConsumerGroupService;
  readonly #store: SampleStore;
  readonly #logger: LoggerService;
  readonly #settings: SamplerSettings;

  constructor(options: {
    clients: KafkaClientFactory;
    groups: ConsumerGroupService;
    store: SampleStore;
    logger: LoggerService;
    settings: SamplerSettings;
  }) {
    this.#clients = options.clients;
    this.#groups = options.groups;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#settings = options.settings;
  }

  async schedule(scheduler: SchedulerService) {
    if (!this.#settings.enabled) return;
    await scheduler.scheduleTask({
      id: 'archon-kafka-sampler',
      frequency: { seconds: this.#settings.intervalSeconds },
      timeout: { seconds: Math.max(30, this.#settings.intervalSeconds * 2) },
      initialDelay: { seconds: 5 },
      scope: 'global',
      fn: () => this.sampleAll(),
    });
  }

  async sampleAll(now = Date.now()) {
    for (const name of this.#clients.clusterNames()) {
      try {
        await this.sampleCluster(name, now);
      } catch (error) {
        this.#logger.warn(
          `Kafka sampler: cluster "${name}" skipped: ${
            (error as Error).message
          }`,
        );
      }
    }
    await this.#store.prune(now - this.#settings.retentionHours * 3600_000);
  }

  async sampleCluster(name: string, now = Date.now()) {
    const kafka = this.#clients.adapter(name);
    const meta = await kafka.metadata();
    const tps = meta.topics.flatMap(t =>
      t.partitions.map(p => ({ topic: t.name, partition: p.partition })),
    );
    const [starts, ends] = await Promise.all([
      kafka.listOffsets(tps, EARLIEST, meta),
      kafka.listOffsets(tps, LATEST, meta),
    ]);
    const topicRows = meta.topics.map(t => {
      let end = 0;
      let start = 0;
      for (const p of t.partitions) {
        end += Math.max(0, ends.get(tpKey(t.name, p.partition))?.offset ?? 0);
        start += Math.max(
          0,
          starts.get(tpKey(t.name, p.partition))?.offset ?? 0,
        );
      }
      return { topic: t.name, endOffsetSum: end, startOffsetSum: start };
    });
    await this.#store.insertTopicSamples(name, now, topicRows);
    const lag = await this.#groups.lagSnapshot(name, {
      timeLag: this.#settings.timeLag,
      timeLagCap: this.#settings.timeLagMaxPartitions,
    });
    await this.#store.insertGroupSamples(name, now, lag.rows);
    return { topics: topicRows.length, groupRows: lag.rows.length };
  }
}
