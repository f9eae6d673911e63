import type { Entity } from '@backstage/catalog-model';
import type {
  KafkaConfigEntry,
  KafkaPartition,
  KafkaTopicDescription,
  KafkaTopicUsage,
} from '@archon/plugin-archon-common';
import { http, HttpResponse } from 'msw';
import { BASE, healthHandler } from './index';

/** The kafka-topic Resource of `topic` on the cluster `local`. */
export function kafkaTopicEntity(topic: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `local.${topic}`,
      namespace: 'default',
      annotations: {
        'archon.io/kafka-cluster': 'local',
        'archon.io/kafka-topic': topic,
      },
    },
    spec: { type: 'kafka-topic', owner: 'team' },
  };
}

/**
 * `GET /kafka/local/topics/{topic}` of a topic on one broker, in sync, whose
 * partitions hold the given `[startOffset, endOffset]` ranges.
 */
export function topicDescription(
  name: string,
  offsets: Array<[number, number]>,
  more: { writeRate?: number | null; configs?: KafkaConfigEntry[] } = {},
): KafkaTopicDescription {
  const partitions: KafkaPartition[] = offsets.map(([start, end], i) => ({
    partition: i,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    underReplicated: false,
    startOffset: start,
    endOffset: end,
    messages: end - start,
  }));
  return {
    name,
    internal: false,
    replicationFactor: 1,
    messages: partitions.reduce((sum, p) => sum + (p.messages ?? 0), 0),
    writeRate: more.writeRate ?? null,
    partitions,
    configs: more.configs ?? [],
  };
}

/**
 * What a topic's page and entity tab read: health, the topic, its usage
 * (nobody by default) and the graph, empty (TopicFlowCard.test.tsx covers
 * the producers and consumers card).
 */
export function topicHandlers(
  description: KafkaTopicDescription,
  usage: KafkaTopicUsage = {
    topic: description.name,
    consumerGroups: [],
    connectors: [],
    clients: [],
  },
) {
  const path = `${BASE}/kafka/local/topics/${description.name}`;
  return [
    healthHandler(),
    http.get(path, () => HttpResponse.json(description)),
    http.get(`${path}/usage`, () => HttpResponse.json(usage)),
    http.get(`${BASE}/graph`, () =>
      HttpResponse.json({
        nodes: [],
        edges: [],
        totals: { nodes: 0, edges: 0 },
        contributors: [],
      }),
    ),
  ];
}
