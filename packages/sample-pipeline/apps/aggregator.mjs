/**
 * Aggregator: running totals over the enriched records; every record yields
 * one summary line (what the FileStream sink writes to its file).
 */
import { runStage } from './kafkaEnv.mjs';

let count = 0;
let words = 0;
await runStage('aggregator', value => {
  let record;
  try {
    record = JSON.parse(value);
  } catch {
    return null;
  }
  count += 1;
  words += Number(record.words) || 0;
  return `count=${count} words=${words} last="${String(record.line).replace(
    /"/g,
    "'",
  )}"`;
});
