/**
 * Archiver: in the second environment, reads the mirrored aggregates (the
 * replica MirrorMaker 2 writes) and appends each one to a file, so a reader
 * sees the lines that crossed clusters.
 */
import fs from 'node:fs';
import { kafkaFromEnv, list, onShutdown, required } from './kafkaEnv.mjs';

const file = required('SAMPLE_ARCHIVE_FILE');
const inputs = list(required('KAFKA_INPUT_TOPICS'));
const consumer = kafkaFromEnv('sample-archiver').consumer({
  groupId: required('KAFKA_GROUP_ID'),
});
onShutdown(() => consumer.disconnect());
await consumer.connect();
await consumer.subscribe({ topics: inputs, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ message }) => {
    fs.appendFileSync(file, `${message.value?.toString('utf8') ?? ''}\n`);
  },
});
console.log(
  `archiver: consuming ${inputs.join(', ')} as group ${
    process.env.KAFKA_GROUP_ID
  }, appending to ${file}`,
);
