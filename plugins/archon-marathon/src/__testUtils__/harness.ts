import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { ensureLocalCluster } from '@archon/local-cluster';
import { startLocalMarathon, type LocalMarathon } from '@archon/local-marathon';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import type { BackendFeature } from '@backstage/backend-plugin-api';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test backend needs the plugin this module extends
import archonPlugin from '@archon/plugin-archon-backend';
import request from 'supertest';
import type { Test } from 'supertest';
import { archonModuleMarathon } from '../module';

/**
 * archon's backend plugin with this module in a test backend, against the real
 * local ZooKeeper (a private root per test file) and a local Marathon-compatible
 * server of its own (free port, temp data dir, private host port range).
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
  const cluster = await ensureLocalCluster();
  // A ZooKeeper root no other test file or run shares.
  const zkRoot =
    options.replicaOf?.zkRoot ??
    `/archon-test-marathon-${options.label}-${Date.now().toString(36)}${crypto
      .randomBytes(3)
      .toString('hex')}`;
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'archon-marathon-test-'),
  );
  const base = 40_000 + Math.floor(Math.random() * 200) * 100;
  const marathon: LocalMarathon =
    options.replicaOf?.marathon ??
    (await startLocalMarathon({
      port: 0,
      dataDir,
      deploymentTimeoutMs: options.deploymentTimeoutMs ?? 20_000,
      taskKillGraceMs: 1000,
      offerIntervalMs: 200,
      portRange: { min: base, max: base + 99 },
    }));
  const backend = await startTestBackend({
    features: [
      archonPlugin,
      archonModuleMarathon,
      mockServices.rootConfig.factory({
        data: {
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
          archon: {
            ...(options.database?.archon
              ? { database: options.database.archon }
              : {}),
            deploy: { settleSeconds: 1, ...(options.deploy ?? {}) },
            zookeeper: {
              ensembles: [
                {
                  name: 'local',
                  connectionString: cluster.zookeeper.connectionString,
                  root: `${zkRoot}/pheidippides`,
                  sessionTimeoutMs: 6000,
                },
              ],
            },
            marathon: {
              instances: [
                {
                  name: 'local',
                  url: marathon.url,
                  mesosAgentUrl: marathon.url,
                },
                ...(options.extraInstances ?? []),
              ],
            },
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  const server = backend.server as http.Server;
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    marathon,
    zkRoot,
    server,
    baseUrl,
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
    async stop() {
      await backend.stop();
      if (!options.replicaOf) await marathon.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
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

// One poll-with-deadline helper for every suite (local-cluster's testing entry point).
export { waitFor } from '@archon/local-cluster/testing';
