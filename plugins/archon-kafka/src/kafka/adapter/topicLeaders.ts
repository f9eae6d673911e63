import type { BrokerAccess } from './kafkajsInternals';

/** Errors a broker answers for a topic whose creation has not reached it yet. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until the seed broker's metadata shows every partition of a topic
 * just created with a leader.
 *
 * kafkajs' own wait (`createTopics({ waitForLeaders })`) retries only on
 * LEADER_NOT_AVAILABLE; under KRaft a broker can still answer
 * UNKNOWN_TOPIC_OR_PARTITION for a moment after the controller accepted the
 * topic, and kafkajs then fails the whole create with "This server does not
 * host this topic-partition" although the topic exists. Returns whether the
 * leaders were seen before the deadline; the topic exists either way.
 */
export async function waitForTopicLeaders(
  brokers: BrokerAccess,
  topic: string,
  partitions: number,
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cluster = await brokers.cluster();
    const broker = cluster.brokerPool.seedBroker;
    if (!broker) return false;
    try {
      // kafkajs' parse throws the first topic or partition error it finds.
      const answer = await brokers.withReset(() => broker.metadata([topic]));
      const found = answer.topicMetadata.find(t => t.topic === topic);
      if (
        found &&
        found.partitionMetadata.length >= partitions &&
        found.partitionMetadata.every(p => p.leader >= 0)
      ) {
        return true;
      }
    } catch (error) {
      // Any other error is the next read's to report: the create succeeded.
      if (!NOT_YET.has((error as { type?: string }).type ?? '')) return false;
    }
    if (Date.now() >= deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}
