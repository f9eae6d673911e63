import { Kafka, logLevel } from 'kafkajs';

/**
 * Writes records with the record timestamps a test sets (e.g. ten minutes
 * ago, so a consumer group committed before them has a time lag at once,
 * without waiting for the clock). archon's produce API stamps records with
 * the time of the write, which is what its users want and a test cannot.
 */
export async function produceAt(options: {
  brokers: string[];
  topic: string;
  partition?: number;
  records: Array<{ value: string; timestamp: number }>;
}): Promise<void> {
  const producer = new Kafka({
    clientId: 'archon-test-produce-at',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic: options.topic,
      messages: options.records.map(r => ({
        value: r.value,
        partition: options.partition ?? 0,
        timestamp: String(r.timestamp),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}
