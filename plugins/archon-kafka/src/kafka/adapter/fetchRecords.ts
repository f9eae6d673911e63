import {
  type FetchPartitionResult,
  type KafkaClusterMetadata,
  type TopicPartitionRef,
  tpKey,
} from './KafkaAdapter';
import {
  type BrokerAccess,
  kafkajsApiKeys,
  kafkajsRequests,
} from './kafkajsInternals';

/** Fetch to the partition leaders without a group (kafkajs' request and record decoding). */
export async function fetchRecords(
  kafka: BrokerAccess,
  partitions: Array<TopicPartitionRef & { offset: number }>,
  options: { maxWaitMs: number; maxBytes: number; partitionMaxBytes: number },
  metadata: KafkaClusterMetadata,
): Promise<FetchPartitionResult[]> {
  const cluster = await kafka.cluster();
  const leaders = new Map<string, number>();
  for (const t of metadata.topics) {
    for (const p of t.partitions)
      leaders.set(tpKey(t.name, p.partition), p.leader);
  }
  const byLeader = new Map<
    number,
    Array<TopicPartitionRef & { offset: number }>
  >();
  const results: FetchPartitionResult[] = [];
  for (const p of partitions) {
    const leader = leaders.get(tpKey(p.topic, p.partition));
    if (leader === undefined || leader < 0) {
      results.push({
        ...p,
        errorCode: leader === undefined ? 3 : 5,
        highWatermark: -1,
        records: [],
      });
      continue;
    }
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
  }
  await kafka.withReset(() =>
    Promise.all(
      [...byLeader.entries()].map(async ([nodeId, parts]) => {
        const broker = await cluster.findBroker({ nodeId });
        const topics = new Map<
          string,
          Array<{ partition: number; fetchOffset: string; maxBytes: number }>
        >();
        for (const p of parts) {
          const list = topics.get(p.topic) ?? [];
          list.push({
            partition: p.partition,
            fetchOffset: String(p.offset),
            maxBytes: options.partitionMaxBytes,
          });
          topics.set(p.topic, list);
        }
        const protocol = broker.lookupRequest(
          kafkajsApiKeys.Fetch,
          kafkajsRequests.Fetch,
        )({
          replicaId: -1,
          isolationLevel: 0,
          maxWaitTime: options.maxWaitMs,
          minBytes: 1,
          maxBytes: options.maxBytes,
          topics: [...topics.entries()].map(([topic, ps]) => ({
            topic,
            partitions: ps,
          })),
          rackId: '',
        });
        let answer: any;
        try {
          answer = await broker.connectionPool.send({
            request: protocol.request,
            response: {
              decode: protocol.response.decode,
              parse: async (d: unknown) => d,
            },
          });
        } catch (error) {
          // A record batch kafkajs cannot decode (snappy/lz4 without a codec).
          const message = (error as Error).message;
          for (const p of parts) {
            results.push({
              ...p,
              errorCode: 0,
              error: message,
              highWatermark: -1,
              records: [],
            });
          }
          return;
        }
        for (const t of answer.responses) {
          for (const p of t.partitions) {
            results.push({
              topic: t.topicName,
              partition: p.partition,
              errorCode: p.errorCode,
              highWatermark: Number(p.highWatermark),
              records: (p.messages ?? [])
                .filter((m: any) => !m.isControlRecord)
                .map((m: any) => ({
                  topic: t.topicName,
                  partition: p.partition,
                  offset: Number(m.offset),
                  timestamp: Number(m.timestamp),
                  key: m.key ?? null,
                  value: m.value ?? null,
                  headers: Object.entries(m.headers ?? {}).flatMap(([key, v]) =>
                    (Array.isArray(v) ? v : [v]).map(value => ({
                      key,
                      value: (value as Buffer | null) ?? null,
                    })),
                  ),
                })),
            });
          }
        }
      }),
    ),
  );
  return results;
}
