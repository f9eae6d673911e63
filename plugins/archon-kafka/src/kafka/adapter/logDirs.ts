import type { LogDirReplica } from './KafkaAdapter';
import { type BrokerAccess, sendRequest } from './kafkajsInternals';
import {
  API_KEYS,
  decodeDescribeLogDirsV1,
  encodeDescribeLogDirsV1,
} from './wire';

/** DescribeLogDirs v1 to each broker; one broker's error does not fail the others. */
export async function describeLogDirs(
  kafka: BrokerAccess,
  brokerIds: number[],
  topics: Array<{ topic: string; partitions: number[] }> | null,
): Promise<Map<number, { replicas: LogDirReplica[] } | { error: Error }>> {
  const cluster = await kafka.cluster();
  const body = encodeDescribeLogDirsV1(topics);
  type Answer = { replicas: LogDirReplica[] } | { error: Error };
  const answers = await Promise.all(
    brokerIds.map(async (broker): Promise<[number, Answer]> => {
      try {
        const answer = await sendRequest(
          await cluster.findBroker({ nodeId: broker }),
          API_KEYS.DescribeLogDirs,
          1,
          'DescribeLogDirs',
          body,
          decodeDescribeLogDirsV1,
        );
        const replicas = answer.replicas.map(r => ({ ...r, broker }));
        return [broker, { replicas }];
      } catch (error) {
        return [broker, { error: error as Error }];
      }
    }),
  );
  return new Map(answers);
}
