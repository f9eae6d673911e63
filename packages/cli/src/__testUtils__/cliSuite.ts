import fs from 'node:fs';
import net from 'node:net';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliTestBackend,
} from './cliTestBackend';

// The shared setup of cli.test.ts and cliKafka.test.ts.

/**
 * The CLI as a subprocess (bin/archon) against a real archon backend in this
 * process, on the real local cluster. stdin is never a terminal here.
 */
export let backend: CliTestBackend;
export let home: string;

export const cli = (
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
) =>
  runCli(args, {
    home,
    ...options,
    env: { ARCHON_URL: backend.url, ...options.env },
  });

/** Runs with `-o json`, expects exit 0 and returns the parsed stdout. */
export async function json<T = any>(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string } = {},
): Promise<T> {
  const r = await cli([...args, '-o', 'json'], options);
  if (r.code !== 0)
    throw new Error(`archon ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Waits until every partition of a new topic has a leader. Producing earlier
 * can leave the backend's Kafka producer with metadata that lacks the topic
 * (404 "This server does not host this topic-partition" for minutes).
 */
export async function topicReady(topic: string) {
  for (let i = 0; i < 40; i++) {
    const r = await cli(['topics', 'describe', topic, '-o', 'json']);
    if (
      r.code === 0 &&
      (
        JSON.parse(r.stdout).partitions as Array<{ leader: number | null }>
      ).every(p => p.leader !== null && p.leader >= 0)
    )
      return;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`topic ${topic} has no leaders`);
}

/** A port nothing listens on. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** An error is one line plus details: never a stack trace. */
export function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/\.ts:\d+/);
}

/** Starts the backend and a private CLI home for the test file (beforeAll), and stops them (afterAll). */
export function useCliBackend() {
  beforeAll(async () => {
    backend = await startCliTestBackend('cli');
    home = makeCliHome();
  });

  afterAll(async () => {
    await backend?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });
}
