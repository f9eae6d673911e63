/**
 * Web: a tiny page with the latest aggregates (the sink file's last lines),
 * published through marathon-lb by the labels the seeder sets
 * (HAPROXY_GROUP, HAPROXY_0_VHOST). `/health` answers Marathon's check.
 */
import fs from 'node:fs';
import http from 'node:http';
import { required } from './kafkaEnv.mjs';

const sinkFile = required('SAMPLE_SINK_FILE');
const port = Number(required('PORT0'));

function lastLines(n) {
  try {
    return fs.readFileSync(sinkFile, 'utf8').trimEnd().split('\n').slice(-n);
  } catch {
    return [];
  }
}

const escape = s =>
  s.replace(/[&<>]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]));

http
  .createServer((req, res) => {
    if (req.url === '/health') {
      res.end('ok');
      return;
    }
    const lines = lastLines(20);
    if (req.url === '/api/aggregates') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ lines }));
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><title>archon sample pipeline</title><meta http-equiv="refresh" content="2">` +
        `<h1>Latest aggregates</h1><pre>${
          escape(lines.join('\n')) || '(nothing yet)'
        }</pre>`,
    );
  })
  .listen(port, '127.0.0.1', () =>
    console.log(`web: http://127.0.0.1:${port}`),
  );
