import http from 'node:http';
import { ensureLocalCluster } from '@archon/local-cluster';
import type { LocalMarathon } from '@archon/local-marathon';
import { startArchonTestBackend } from '@archon/test-utils';
import type { JsonObject } from '@backstage/types';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import archonPlugin from '@archon/plugin-archon-backend';
import request from 'supertest';
import type { Test } from 'supertest';
import { archonModuleMarathon } from '../module';

/**
 * archon's backend plugin with this module in the one test backend
 * (@archon/test-utils), against the real local ZooKeeper (a private root per
 * test file) and a local Marathon-compatible server of its own (free port,
 * temp data dir, private host port range), with the configuration writes
 * the deploy suites repeat.
 */
export interface Harness {
  marathon: LocalMarathon;
  /** The ZooKeeper root its configuration lives under. */
  zkRoot: string;
  server: http.Server;
  /** e.g. http://127.0.0.1:41234 (for streaming requests). */
  baseUrl: string;
  api(path: string): string;
  put(configPath: string, properties: Record<string, string>): Test;
  patch(
    configPath: string,
    body: { set?: Record<string, string>; unset?: string[] },
  ): Test;
  stop(): Promise<void>;
}

export async function startHarness(options: {
  label: string;
  deploymentTimeoutMs?: number;
  extraInstances?: JsonObject[];
  features?: BackendFeature[];
  /** Another backend replica: the same ZooKeeper root and Marathon as this one (which stops neither). */
  replicaOf?: Harness;
  /**
   * `archon.deploy` settings; the settle window defaults to 1 s here so
   * tests that are not about it stay quick.
   */
  deploy?: { settleSeconds?: number; crashLoopFailures?: number };
  /** archon's database as SQLite files in this directory (replicas given the same one share it). Default: in memory. */
  sqliteDirectory?: string;
  /** `backend.database` as given (e.g. a private PostgreSQL), and `archon.database`. */
  database?: { backend: JsonObject; archon?: JsonObject };
}): Promise<Harness> {
  const backend = await startArchonTestBackend({
    label: options.label,
    // This package's jest config has no globalSetup: start the cluster if needed.
    cluster: await ensureLocalCluster(),
    features: [archonPlugin, archonModuleMarathon, ...(options.features ?? [])],
    // A replica shares the first backend's ZooKeeper root and Marathon.
    zookeeper: options.replicaOf && { root: options.replicaOf.zkRoot },
    marathon: options.replicaOf?.marathon ?? {
      deploymentTimeoutMs: options.deploymentTimeoutMs ?? 20_000,
    },
    extraMarathonInstances: options.extraInstances,
    archon: {
      ...(options.database?.archon
        ? { database: options.database.archon }
        : {}),
      deploy: { settleSeconds: 1, ...(options.deploy ?? {}) },
    },
    config: {
      ...(options.sqliteDirectory
        ? {
            backend: {
              database: {
                client: 'better-sqlite3',
                connection: { directory: options.sqliteDirectory },
              },
            },
          }
        : {}),
      ...(options.database
        ? { backend: { database: options.database.backend } }
        : {}),
    },
  });
  const server = backend.server;
  return {
    marathon: backend.marathon!,
    zkRoot: backend.zkRoot,
    server,
    baseUrl: backend.url,
    api: (p: string) => `/api/archon${p}`,
    put: (configPath: string, properties: Record<string, string>) =>
      request(server)
        .put(`/api/archon/config/sets${configPath}`)
        .send({ properties }),
    patch: (
      configPath: string,
      body: { set?: Record<string, string>; unset?: string[] },
    ) =>
      request(server).patch(`/api/archon/config/sets${configPath}`).send(body),
    stop: () => backend.stop(),
  };
}

/** One Server-Sent Events frame. */
export interface SseFrame {
  event: string;
  data: any;
}

/**
 * Calls an archon route asking for `text/event-stream` and collects the
 * frames until the stream ends (or `until` says so).
 */
export function collectSse(
  baseUrl: string,
  method: 'GET' | 'POST',
  urlPath: string,
  body?: unknown,
  until?: (frame: SseFrame) => boolean,
  timeoutMs = 120_000,
): Promise<{ status: number; frames: SseFrame[]; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const frames: SseFrame[] = [];
    const req = http.request(
      `${baseUrl}${urlPath}`,
      {
        method,
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
        },
      },
      res => {
        let buffer = '';
        res.setEncoding('utf8');
        const timer = setTimeout(() => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            frames,
            contentType: res.headers['content-type'],
          });
        }, timeoutMs);
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event && data) {
              const parsed = { event, data: JSON.parse(data) };
              frames.push(parsed);
              if (until?.(parsed)) {
                clearTimeout(timer);
                req.destroy();
                resolve({
                  status: res.statusCode ?? 0,
                  frames,
                  contentType: res.headers['content-type'],
                });
                return;
              }
            } else if (!event && frame.trim().startsWith('{')) {
              frames.push({ event: 'body', data: JSON.parse(frame) });
            }
            end = buffer.indexOf('\n\n');
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          if (buffer.trim().startsWith('{'))
            frames.push({ event: 'body', data: JSON.parse(buffer) });
          resolve({
            status: res.statusCode ?? 0,
            frames,
            contentType: res.headers['content-type'],
          });
        });
      },
    );
    req.on('error', error => {
      if (frames.length) resolve({ status: 200, frames });
      else reject(error);
    });
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/**
 * An app command: a node HTTP server on $PORT0 that prints its environment
 * (one `ENV {...}` line on stdout) and answers every path with
 * $HEALTH_STATUS (default 200).
 */
export function envServerCommand(): string {
  const script =
    "const h=require('http');console.log('ENV '+JSON.stringify(process.env));" +
    "h.createServer((q,s)=>{s.statusCode=Number(process.env.HEALTH_STATUS||200);s.end('ok')}).listen(Number(process.env.PORT0),'127.0.0.1')";
  return `exec '${process.execPath}' -e "${script}"`;
}

// One poll-with-deadline helper for every suite.
export { waitFor } from '@archon/test-utils';
