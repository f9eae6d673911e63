import {
  type KafkaClusterMetadata,
  type ListedOffset,
  type TopicPartitionRef,
  tpKey,
} from './KafkaAdapter';
import { type BrokerAccess, sendRequest } from './kafkajsInternals';
import { API_KEYS, decodeListOffsetsV2, encodeListOffsetsV2 } from './wire';

/** ListOffsets v2 per leader for all partitions at once (see KafkajsAdapter). */
export async function listOffsets(
  kafka: BrokerAccess,
  partitions: TopicPartitionRef[],
  spec: number,
  metadata?: KafkaClusterMetadata,
): Promise<Map<string, ListedOffset>> {
  const result = new Map<string, ListedOffset>();
  if (partitions.length === 0) return result;
  const meta = metadata ?? (await kafka.metadata());
  const leaders = new Map<string, number>();
  for (const t of meta.topics) {
    for (const p of t.partitions)
      leaders.set(tpKey(t.name, p.partition), p.leader);
  }
  const byLeader = new Map<number, TopicPartitionRef[]>();
  for (const tp of partitions) {
    const leader = leaders.get(tpKey(tp.topic, tp.partition));
    if (leader === undefined || leader < 0) {
      result.set(tpKey(tp.topic, tp.partition), {
        offset: -1,
        timestamp: -1,
        errorCode: leader === undefined ? 3 : 5,
      });
      continue;
    }
    const list = byLeader.get(leader) ?? [];
    list.push(tp);
    byLeader.set(leader, list);
  }
  const cluster = await kafka.cluster();
  const CHUNK = 10_000;
  const jobs: Promise<void>[] = [];
  for (const [leader, tps] of byLeader) {
    for (let i = 0; i < tps.length; i += CHUNK) {
      const chunk = tps.slice(i, i + CHUNK);
      jobs.push(
        (async () => {
          const broker = await cluster.findBroker({ nodeId: leader });
          const topics = new Map<
            string,
            Array<{ partition: number; timestamp: number }>
          >();
          for (const tp of chunk) {
            const list = topics.get(tp.topic) ?? [];
            list.push({ partition: tp.partition, timestamp: spec });
            topics.set(tp.topic, list);
          }
          const body = encodeListOffsetsV2(
            [...topics.entries()].map(([topic, parts]) => ({
              topic,
              partitions: parts,
            })),
          );
          const answer = await sendRequest(
            broker,
            API_KEYS.ListOffsets,
            2,
            'ListOffsets',
            body,
            decodeListOffsetsV2,
          );
          for (const p of answer) {
            result.set(tpKey(p.topic, p.partition), {
              offset: p.offset,
              timestamp: p.timestamp,
              errorCode: p.errorCode,
            });
          }
        })(),
      );
    }
  }
  await kafka.withReset(() => Promise.all(jobs));
  return result;
}
