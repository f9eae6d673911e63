/**
 * What the pipeline apps read from their environment. archon renders every
 * Pheidippides key that is not `marathon.*`/`archon.*` as a variable
 * (`kafka.input.topics` → KAFKA_INPUT_TOPICS), so these names follow the keys
 * the seeder writes (src/pipeline.ts).
 */
import { Kafka, logLevel } from 'kafkajs';

export function required(name) {
  const value = process.env[name];
  if (!value || !value.trim()) {
    console.error(`missing environment variable ${name}`);
    process.exit(2);
  }
  return value.trim();
}

export const list = value =>
  value
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);

export function kafkaFromEnv(clientId) {
  return new Kafka({
    clientId: process.env.KAFKA_CLIENT_ID || clientId,
    brokers: list(required('KAFKA_BROKERS')),
    logLevel: logLevel.WARN,
  });
}

/** Stops cleanly on Marathon's SIGTERM (taskKillGracePeriodSeconds), so the group leaves at once. */
export function onShutdown(close) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * Consumes the input topics in a group and sends what `transform` returns
 * (string values; null skips) to every output topic.
 */
export async function runStage(name, transform) {
  const kafka = kafkaFromEnv(`sample-${name}`);
  const inputs = list(required('KAFKA_INPUT_TOPICS'));
  const outputs = list(required('KAFKA_OUTPUT_TOPICS'));
  const consumer = kafka.consumer({ groupId: required('KAFKA_GROUP_ID') });
  const producer = kafka.producer();
  onShutdown(async () => {
    await consumer.disconnect();
    await producer.disconnect();
  });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: inputs, fromBeginning: true });
  let handled = 0;
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const value = transform(message.value?.toString('utf8') ?? '', {
        topic,
        partition,
        offset: message.offset,
      });
      if (value !== null) {
        await producer.send({
          topic: outputs[0],
          messages: [{ key: message.key, value }],
        });
        for (const extra of outputs.slice(1))
          await producer.send({
            topic: extra,
            messages: [{ key: message.key, value }],
          });
      }
      handled++;
      if (handled % 100 === 0) console.log(`${name}: ${handled} messages`);
    },
  });
  console.log(
    `${name}: consuming ${inputs.join(', ')} as group ${
      process.env.KAFKA_GROUP_ID
    }, producing to ${outputs.join(', ')}`,
  );
}
