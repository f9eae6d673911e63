/**
 * A deployed app for the coordinated-reset tests: a kafkajs consumer that
 * joins KAFKA_GROUP_ID on KAFKA_INPUT_TOPICS and holds its partitions
 * without ever committing, so the group's committed offsets are exactly
 * what archon sets. Leaves the group on Marathon's SIGTERM.
 */
import { Kafka, logLevel } from 'kafkajs';

const list = value => (value ?? '').split(/[\s,]+/).filter(Boolean);
const kafka = new Kafka({
  clientId: 'archon-test-group-member',
  brokers: list(process.env.KAFKA_BROKERS),
  logLevel: logLevel.WARN,
});
const consumer = kafka.consumer({
  groupId: process.env.KAFKA_GROUP_ID,
  sessionTimeout: 10_000,
  heartbeatInterval: 1_000,
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await consumer.disconnect();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await consumer.connect();
await consumer.subscribe({
  topics: list(process.env.KAFKA_INPUT_TOPICS),
  fromBeginning: true,
});
await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
console.log(`member of ${process.env.KAFKA_GROUP_ID}`);
