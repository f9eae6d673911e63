import { ConflictError, InputError } from '@backstage/errors';
import { UnprocessableError } from '@archon/plugin-archon-node';
import { validateTopicName } from '@archon/plugin-archon-common';
import { collidingTopic } from './topicNames';
import { KafkaCore } from './KafkaCore';
import type { TopicUsage } from './kafkaSources';

export type {
  ConnectorUsageSource,
  GroupUsageSource,
  TopicRateSource,
  TopicSummary,
  TopicUsage,
} from './kafkaSources';

/** Topic changes (create, configure, grow, delete) and a topic's usage, on {@link KafkaCore}'s clusters and reads. */
export class KafkaService extends KafkaCore {
  async createTopic(
    clusterName: string,
    spec: {
      name: string;
      partitions: number;
      replicationFactor: number;
      configs?: Record<string, string>;
      validateOnly?: boolean;
    },
  ) {
    validateTopicName(spec.name);
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new InputError(
        `partitions must be an integer of at least 1, got ${spec.partitions}`,
      );
    }
    if (
      !Number.isInteger(spec.replicationFactor) ||
      spec.replicationFactor < 1
    ) {
      throw new InputError(
        `replicationFactor must be an integer of at least 1, got ${spec.replicationFactor}`,
      );
    }
    return this.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      if (spec.replicationFactor > meta.brokers.length) {
        throw new InputError(
          `replicationFactor ${spec.replicationFactor} is larger than the number of brokers (${meta.brokers.length}) in Kafka cluster "${clusterName}"`,
        );
      }
      if (meta.topics.some(t => t.name === spec.name)) {
        throw new ConflictError(
          `topic "${spec.name}" already exists in Kafka cluster "${clusterName}"`,
        );
      }
      const collision = collidingTopic(
        spec.name,
        meta.topics.map(t => t.name),
      );
      if (collision) {
        throw new InputError(
          `topic name "${spec.name}" collides with the existing topic "${collision}" ('.' and '_' are treated as the same)`,
        );
      }
      const topicSpec = {
        name: spec.name,
        partitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configs: spec.configs ?? {},
      };
      try {
        await kafka.createTopic(topicSpec, !!spec.validateOnly);
      } catch (error) {
        const type = (error as { errors?: Array<{ type?: string }> })
          .errors?.[0]?.type;
        if (type !== 'INVALID_CONFIG') throw error;
        // kafkajs drops the broker's error message ("Configuration is invalid"
        // is all it says); find the offending configs with validate-only tries.
        const bad: string[] = [];
        for (const [name, value] of Object.entries(topicSpec.configs)) {
          try {
            await kafka.createTopic(
              { ...topicSpec, configs: { [name]: value } },
              true,
            );
          } catch {
            bad.push(`${name}=${value}`);
          }
        }
        throw new InputError(
          `invalid topic config${bad.length === 1 ? '' : 's'}: ${
            bad.join(', ') || Object.keys(topicSpec.configs).join(', ')
          } (unknown name or bad value)`,
        );
      }
      if (spec.validateOnly) {
        return { name: spec.name, validateOnly: true as const };
      }
      return { name: spec.name, validateOnly: false as const };
    });
  }

  /** Changes only the named configs (set or reset to default); returns the new configs. */
  async alterTopicConfigs(
    clusterName: string,
    topic: string,
    change: {
      set?: Record<string, string>;
      reset?: string[];
      validateOnly?: boolean;
    },
  ) {
    validateTopicName(topic);
    const changes = [
      ...Object.entries(change.set ?? {}).map(([name, value]) => ({
        name,
        op: 'set' as const,
        value,
      })),
      ...(change.reset ?? []).map(name => ({ name, op: 'delete' as const })),
    ];
    if (changes.length === 0)
      throw new InputError('nothing to change: give "set" and/or "reset"');
    const both = Object.keys(change.set ?? {}).filter(k =>
      change.reset?.includes(k),
    );
    if (both.length)
      throw new InputError(`configs both set and reset: ${both.join(', ')}`);
    return this.call(clusterName, async kafka => {
      await this.topicMetadata(kafka, clusterName, topic);
      await kafka.alterTopicConfigs(topic, changes, !!change.validateOnly);
      const configs = await kafka.describeTopicConfigs([topic]);
      return {
        topic,
        validateOnly: !!change.validateOnly,
        configs: configs.get(topic) ?? [],
      };
    });
  }

  /** Consumer groups, connectors and client apps that use the topic. */
  async usage(clusterName: string, topic: string): Promise<TopicUsage> {
    validateTopicName(topic);
    await this.call(clusterName, kafka =>
      this.topicMetadata(kafka, clusterName, topic),
    );
    const [groups, connectors] = await Promise.all([
      this.groups?.groupsUsingTopic(clusterName, topic) ?? [],
      this.connectors
        ?.connectorsUsingTopic(clusterName, topic)
        .catch(() => []) ?? [],
    ]);
    const clients = new Map<
      string,
      { clientId: string; host: string; groupId: string }
    >();
    for (const g of groups) {
      for (const m of g.members) {
        clients.set(`${m.clientId}\u0000${m.host}\u0000${g.groupId}`, {
          ...m,
          groupId: g.groupId,
        });
      }
    }
    return {
      topic,
      consumerGroups: groups,
      connectors,
      clients: [...clients.values()],
    };
  }

  /** Deletes the topic once `confirm` repeats its name; otherwise 422 with its usage. */
  async deleteTopic(
    clusterName: string,
    topic: string,
    confirm: string | undefined,
  ) {
    validateTopicName(topic);
    const usage = await this.usage(clusterName, topic);
    if (confirm !== topic) {
      throw new UnprocessableError(
        `deleting topic "${topic}" needs confirm="${topic}"; review its usage first`,
        { requiredConfirmation: topic, usage },
      );
    }
    const described = await this.describeTopic(clusterName, topic);
    await this.call(clusterName, kafka => kafka.deleteTopic(topic));
    // What was lost, for the audit entry.
    const before = {
      partitions: described.partitions.length,
      replicationFactor: described.replicationFactor,
      messages: described.messages ?? null,
      configOverrides: described.configs.filter(c => c.isOverride).length,
      consumerGroups: usage.consumerGroups.map(g => g.groupId),
      connectors: usage.connectors.map(c => `${c.connectCluster}/${c.name}`),
    };
    return { deleted: topic, usage, before };
  }

  /**
   * Raises the partition count. Changes which partition each key maps to,
   * so it needs `confirm` = the topic name unless it is a dry run.
   */
  async addPartitions(
    clusterName: string,
    topic: string,
    request: { count: number; confirm?: string; dryRun?: boolean },
  ) {
    validateTopicName(topic);
    const current = await this.call(
      clusterName,
      async kafka =>
        (
          await this.topicMetadata(kafka, clusterName, topic)
        ).topic.partitions.length,
    );
    if (!Number.isInteger(request.count) || request.count <= current) {
      throw new InputError(
        `count must be larger than the current partition count (${current}), got ${request.count}; Kafka cannot remove partitions`,
      );
    }
    const usage = await this.usage(clusterName, topic);
    if (request.dryRun) {
      await this.call(clusterName, kafka =>
        kafka.createPartitions(topic, request.count, true),
      );
      return { topic, from: current, to: request.count, dryRun: true, usage };
    }
    if (request.confirm !== topic) {
      throw new UnprocessableError(
        `adding partitions to "${topic}" changes the key-to-partition mapping; it needs confirm="${topic}"`,
        { requiredConfirmation: topic, usage },
      );
    }
    await this.call(clusterName, kafka =>
      kafka.createPartitions(topic, request.count, false),
    );
    return { topic, from: current, to: request.count, dryRun: false, usage };
  }
}
