/**
 * Appender: keeps the FileStream source busy by appending one line to its
 * input file every SAMPLE_APPEND_INTERVAL_MS (default 1000).
 */
import fs from 'node:fs';
import path from 'node:path';
import { onShutdown, required } from './kafkaEnv.mjs';

const file = required('SAMPLE_INPUT_FILE');
const interval = Number(process.env.SAMPLE_APPEND_INTERVAL_MS) || 1000;
const words = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'epsilon',
  'zeta',
  'eta',
  'theta',
];
fs.mkdirSync(path.dirname(file), { recursive: true });
let n = 0;
const timer = setInterval(() => {
  n += 1;
  const count = 1 + (n % 5);
  const line = Array.from(
    { length: count },
    (_, i) => words[(n + i) % words.length],
  ).join(' ');
  fs.appendFileSync(file, `${new Date().toISOString()} #${n} ${line}\n`);
}, interval);
onShutdown(async () => clearInterval(timer));
console.log(`appender: one line every ${interval} ms to ${file}`);
