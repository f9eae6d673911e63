/**
 * Enricher: each raw line (from the FileStream source) becomes a JSON record
 * with its word count, length and where it came from.
 */
import { runStage } from './kafkaEnv.mjs';

await runStage('enricher', (line, from) =>
  JSON.stringify({
    line,
    words: line.split(/\s+/).filter(Boolean).length,
    length: line.length,
    source: `${from.topic}/${from.partition}@${from.offset}`,
    enrichedAt: new Date().toISOString(),
  }),
);
