import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import {
  API_KEY_API_VERSIONS,
  type ApiVersionsResult,
  requestApiVersions,
} from '@archon/kafka-wire';
import {
  API_KEY_METADATA,
  CLIENT_ID,
  type KafkaBrokerInfo,
  requestBrokers,
} from './kafkaMetadata';

/**
 * Health probes. Each one is a single bounded attempt (it never hangs past its
 * timeout); the start-up code repeats them until a deadline.
 */

export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

// ---------------------------------------------------------------- ZooKeeper

/**
 * Sends a ZooKeeper four-letter word (srvr, ruok, mntr, ...) and resolves with the
 * whole answer; the server closes the connection when it is done writing.
 * Needs the word in `4lw.commands.whitelist`.
 */
export function zkFourLetterWord(
  host: string,
  port: number,
  word: string,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `ZooKeeper at ${host}:${port} did not answer '${word}' within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => socket.end(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export interface ZkServerStatus {
  /** e.g. "3.9.5" */
  version: string;
  /** The full version line, e.g. "3.9.5-<git sha>, built on ..." */
  fullVersion: string;
  /** standalone | leader | follower | observer */
  mode: string;
  nodeCount?: number;
  zxid?: string;
  connections?: number;
}

/**
 * Parses the `srvr` answer:
 *   Zookeeper version: 3.9.5-<sha>, built on 2025-.. UTC
 *   Latency min/avg/max: 0/0.0/0
 *   ...
 *   Mode: standalone
 *   Node count: 5
 * A server that is up but not serving answers "This ZooKeeper instance is not
 * currently serving requests" instead, which throws here.
 */
export function parseSrvr(text: string): ZkServerStatus {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      fields.set(
        line.slice(0, colon).trim().toLowerCase(),
        line.slice(colon + 1).trim(),
      );
  }
  const fullVersion = fields.get('zookeeper version');
  const mode = fields.get('mode');
  if (!fullVersion || !mode) {
    throw new Error(
      `unexpected srvr answer: ${text.trim().split('\n')[0] || '(empty)'}`,
    );
  }
  const num = (key: string) =>
    fields.has(key) ? Number(fields.get(key)) : undefined;
  return {
    version: fullVersion.split(/[-,\s]/)[0],
    fullVersion,
    mode,
    nodeCount: num('node count'),
    zxid: fields.get('zxid'),
    connections: num('connections'),
  };
}

export async function probeZookeeper(
  host: string,
  port: number,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ZkServerStatus> {
  return parseSrvr(await zkFourLetterWord(host, port, 'srvr', timeoutMs));
}

/** Runs an AdminServer command (GET /commands/<name>) and returns its JSON. */
export async function zkAdminCommand(
  host: string,
  adminPort: number,
  command: string,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<Record<string, unknown>> {
  const res = await httpGetJson(
    `http://${host}:${adminPort}/commands/${command}`,
    timeoutMs,
  );
  if (res.status !== 200)
    throw new Error(`AdminServer answered HTTP ${res.status}`);
  return res.body as Record<string, unknown>;
}

// ---------------------------------------------------------------- HTTP

/**
 * GET a URL and parse JSON. Uses its own agent (agent: false): Backstage's jest
 * setup may replace the global agent to block network access in tests.
 */
export function httpGetJson(
  url: string,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    // `timeout` only covers socket inactivity; this bounds the whole exchange.
    const timer = setTimeout(
      () =>
        req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () =>
      req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------- Kafka

export { requestBrokers };
export type { ApiVersionsResult, KafkaBrokerInfo };

export interface KafkaHealth {
  apiVersions: ApiVersionsResult;
  brokers: KafkaBrokerInfo[];
}

/**
 * Kafka is healthy when it answers ApiVersions without error (its request
 * handlers are up; requestApiVersions fails on an error code) and Metadata lists `expectedNodeId` (the broker registered
 * with the KRaft controller and was unfenced, so clients can use it).
 */
export async function probeKafka(
  host: string,
  port: number,
  expectedNodeId: number,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<KafkaHealth> {
  const apiVersions = await requestApiVersions(host, port, {
    timeoutMs,
    clientId: CLIENT_ID,
  });
  const keys = new Set(apiVersions.apiKeys.map(k => k.apiKey));
  if (!keys.has(API_KEY_METADATA) || !keys.has(API_KEY_API_VERSIONS)) {
    throw new Error('ApiVersions answer lacks Metadata/ApiVersions');
  }
  const brokers = await requestBrokers(host, port, timeoutMs);
  if (!brokers.some(b => b.nodeId === expectedNodeId)) {
    throw new Error(`broker ${expectedNodeId} has not registered yet`);
  }
  return { apiVersions, brokers };
}

// ---------------------------------------------------------------- Connect

export interface ConnectHealth {
  version: string;
  commit?: string;
  kafkaClusterId?: string;
  /** Connector classes (fully qualified) from GET /connector-plugins. */
  plugins: string[];
}

/**
 * Connect is healthy when GET / answers its version, GET /connector-plugins lists
 * `requiredPlugin` (plugin.path was scanned), and GET /connectors answers 200 (the
 * herder joined its group and read the config topic; it answers 503 before).
 */
export async function probeConnect(
  url: string,
  requiredPlugin = 'FileStreamSourceConnector',
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ConnectHealth> {
  const root = await httpGetJson(`${url}/`, timeoutMs);
  const info = root.body as {
    version?: string;
    commit?: string;
    kafka_cluster_id?: string;
  };
  if (root.status !== 200 || typeof info?.version !== 'string') {
    throw new Error(`GET / answered HTTP ${root.status}`);
  }
  const pluginsRes = await httpGetJson(`${url}/connector-plugins`, timeoutMs);
  if (pluginsRes.status !== 200 || !Array.isArray(pluginsRes.body)) {
    throw new Error(
      `GET /connector-plugins answered HTTP ${pluginsRes.status}`,
    );
  }
  const plugins = (pluginsRes.body as Array<{ class?: string }>).map(p =>
    String(p.class),
  );
  if (
    !plugins.some(p => p === requiredPlugin || p.endsWith(`.${requiredPlugin}`))
  ) {
    throw new Error(`${requiredPlugin} is not among the connector plugins yet`);
  }
  const connectors = await httpGetJson(`${url}/connectors`, timeoutMs);
  if (connectors.status !== 200) {
    throw new Error(
      `GET /connectors answered HTTP ${connectors.status} (worker still starting)`,
    );
  }
  return {
    version: info.version,
    commit: info.commit,
    kafkaClusterId: info.kafka_cluster_id,
    plugins,
  };
}

// ---------------------------------------------------------------- PostgreSQL

/** Runs `pg_isready`; resolves when the server accepts connections, rejects otherwise. */
export function pgIsReady(
  pgIsReadyBin: string,
  host: string,
  port: number,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    // -U/-d: without them pg_isready connects as the OS user and the server logs "role root does not exist".
    const args = [
      '-h',
      host,
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-t',
      seconds,
      '-q',
    ];
    const child = spawn(pgIsReadyBin, args, {
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 1000);
    child.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', code => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `pg_isready exited with ${code} (1 = rejecting, 2 = no response)`,
          ),
        );
    });
  });
}
