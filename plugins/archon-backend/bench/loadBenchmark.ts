/*
 * API load benchmark against the running portal (loopback). Prints figures;
 * asserts no timing, only correctness of the concurrent-writers test.
 *
 *   scripts/start.sh --detach    # the portal and the local cluster
 *   yarn workspace @archon/plugin-archon-backend bench:load
 *
 * 1. Reads: for GET /health, /config/effective/<path>, /graph and
 *    /kafka/<cluster>/topics, REQUESTS requests from 1 client (the baseline)
 *    and from CLIENTS concurrent clients: requests/s, p50, p99, non-2xx.
 * 2. Direct ZooKeeper getData of one set vs GET /config/sets of the same set
 *    (same run, same count), so the API's overhead is visible; GET /health
 *    (background probes) vs Backstage's /.backstage/health/v1/liveness.
 * 3. Concurrent writers: WRITERS clients each try WRITES_PER_WRITER times to
 *    replace one set with expectedVersion (read, then PUT). Every write must
 *    either land (200 with a version) or get 409; landed versions must be
 *    unique, and the final set must equal the write acknowledged with the
 *    highest version. Exits 1 when that does not hold.
 * Everything it writes is under /archon-bench-load and removed afterwards.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'undici';
import { ZooKeeperSession } from '../src/zookeeper/ZooKeeperSession';
import { line, measure } from './measure';

const portal = process.env.ARCHON_URL ?? 'http://localhost:7007';
const kafkaCluster = process.env.ARCHON_BENCH_KAFKA_CLUSTER ?? 'local';
const effectivePath =
  process.env.ARCHON_BENCH_CONFIG_PATH ?? '/sample/pipeline/enricher';
const REQUESTS = Number(process.env.ARCHON_BENCH_REQUESTS ?? 1000);
const CLIENTS = Number(process.env.ARCHON_BENCH_CLIENTS ?? 16);
const WRITERS = Number(process.env.ARCHON_BENCH_WRITERS ?? 16);
const WRITES_PER_WRITER = Number(process.env.ARCHON_BENCH_WRITES ?? 25);
const ZK_ROOT = '/pheidippides';
const WRITERS_PATH = '/archon-bench-load/contended';
const zkConnection = `127.0.0.1:${process.env.ARCHON_ZK_PORT ?? 2181}`;
const repoRoot = resolve(__dirname, '../../..');
const token =
  process.env.ARCHON_TOKEN ??
  readFileSync(resolve(repoRoot, '.archon/api-token'), 'utf8').trim();
const headers = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
};

const quietLogger: any = {
  info() {},
  debug() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child() {
    return quietLogger;
  },
};

async function get(path: string): Promise<boolean> {
  const r = await request(`${portal}/api/archon${path}`, { headers });
  await r.body.dump();
  return r.statusCode >= 200 && r.statusCode < 300;
}

async function api(
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
) {
  const r = await request(`${portal}/api/archon${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.body.text();
  return { status: r.statusCode, json: text ? JSON.parse(text) : undefined };
}

async function readBenchmarks() {
  const endpoints = [
    '/health',
    `/config/effective${effectivePath}`,
    '/graph',
    `/kafka/${kafkaCluster}/topics`,
  ];
  console.log(
    `== reads: ${REQUESTS} requests each, 1 client vs ${CLIENTS} clients`,
  );
  for (const path of endpoints) {
    if (!(await get(path)))
      throw new Error(
        `GET ${path} does not answer 2xx; is the portal running with the sample pipeline?`,
      );
    console.log(
      line(
        `GET ${path} (1 client)`,
        await measure(REQUESTS, 1, () => get(path)),
      ),
    );
    console.log(
      line(
        `GET ${path} (${CLIENTS} clients)`,
        await measure(REQUESTS, CLIENTS, () => get(path)),
      ),
    );
  }
}

/** GET of a path outside archon (Backstage's own endpoints), unauthenticated. */
async function getRoot(path: string): Promise<boolean> {
  const r = await request(`${portal}${path}`);
  await r.body.dump();
  return r.statusCode >= 200 && r.statusCode < 300;
}

/**
 * archon's /health answers from its background probes; its floor is
 * Backstage's own liveness endpoint (no work at all), same run, same count.
 */
async function healthBaseline() {
  const liveness = '/.backstage/health/v1/liveness';
  console.log(
    `== GET /health vs Backstage's ${liveness}, ${REQUESTS} requests, ${CLIENTS} clients`,
  );
  if (!(await getRoot(liveness)))
    throw new Error(`GET ${liveness} does not answer 2xx`);
  const backstage = await measure(REQUESTS, CLIENTS, () => getRoot(liveness));
  const archon = await measure(REQUESTS, CLIENTS, () => get('/health'));
  console.log(line(`GET ${liveness}`, backstage));
  console.log(line('GET /api/archon/health', archon));
  console.log(
    `/health throughput: ${(archon.rps / backstage.rps).toFixed(
      2,
    )}x of liveness (goal >= 0.5x, p99 < 50 ms)`,
  );
}

async function zookeeperBaseline(session: ZooKeeperSession) {
  console.log(
    `== direct ZooKeeper read vs API read of one set, ${REQUESTS} reads, ${CLIENTS} clients`,
  );
  const zkPath = `${ZK_ROOT}${effectivePath}`;
  const zk = await measure(
    REQUESTS,
    CLIENTS,
    async () => (await session.getData(zkPath)) !== undefined,
  );
  const viaApi = await measure(REQUESTS, CLIENTS, () =>
    get(`/config/sets${effectivePath}`),
  );
  console.log(line(`ZooKeeper getData ${zkPath}`, zk));
  console.log(line(`GET /config/sets${effectivePath}`, viaApi));
}

/** Key order is not part of a set's meaning (the stored JSON may order keys differently). */
function canonical(properties: Record<string, unknown>) {
  return JSON.stringify(
    Object.entries(properties).sort(([a], [b]) => a.localeCompare(b)),
  );
}

async function concurrentWriters(session: ZooKeeperSession): Promise<boolean> {
  console.log(
    `== concurrent writers: ${WRITERS} writers × ${WRITES_PER_WRITER} attempts on ${WRITERS_PATH} with expectedVersion`,
  );
  await api('DELETE', `/config/sets${WRITERS_PATH}`);
  const created = await api('PUT', `/config/sets${WRITERS_PATH}`, {
    properties: { writer: 'init', seq: '0' },
    expectedVersion: -1,
  });
  if (created.status !== 200)
    throw new Error(
      `cannot create ${WRITERS_PATH}: ${created.status} ${JSON.stringify(
        created.json,
      )}`,
    );

  const acknowledged = new Map<number, Record<string, string>>();
  const unexpected: string[] = [];
  let conflicts = 0;
  let duplicateVersions = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      for (let seq = 1; seq <= WRITES_PER_WRITER; seq++) {
        const current = await api('GET', `/config/sets${WRITERS_PATH}`);
        const properties = { writer: String(writer), seq: String(seq) };
        const put = await api('PUT', `/config/sets${WRITERS_PATH}`, {
          properties,
          expectedVersion: current.json.version,
        });
        if (put.status === 409) conflicts++;
        else if (put.status === 200 && typeof put.json.version === 'number') {
          if (acknowledged.has(put.json.version)) duplicateVersions++;
          acknowledged.set(put.json.version, properties);
        } else
          unexpected.push(
            `${put.status} ${JSON.stringify(put.json).slice(0, 200)}`,
          );
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;

  const final = await api('GET', `/config/sets${WRITERS_PATH}`);
  const lastVersion = Math.max(...acknowledged.keys());
  const lastWrite = acknowledged.get(lastVersion);
  const finalMatches =
    final.json.version === lastVersion &&
    canonical(final.json.properties) === canonical(lastWrite ?? {});
  const attempts = WRITERS * WRITES_PER_WRITER;
  console.log(
    `attempts ${attempts} in ${seconds.toFixed(2)} s (${(
      attempts / seconds
    ).toFixed(0)} attempts/s): landed ${
      acknowledged.size
    }, 409 ${conflicts}, other ${
      unexpected.length
    }, duplicate versions ${duplicateVersions}`,
  );
  console.log(
    `final set: version ${final.json.version} ${JSON.stringify(
      final.json.properties,
    )}; last acknowledged: version ${lastVersion} ${JSON.stringify(
      lastWrite,
    )} -> ${finalMatches ? 'equal' : 'DIFFERENT'}`,
  );
  for (const u of unexpected.slice(0, 5))
    console.log(`  unexpected answer: ${u}`);

  await api('DELETE', `/config/sets${WRITERS_PATH}`);
  // The parent level was created by the first PUT and holds no set, so the
  // config API has nothing to delete there; remove its znode directly.
  const parent = `${ZK_ROOT}${WRITERS_PATH.slice(
    0,
    WRITERS_PATH.lastIndexOf('/'),
  )}`;
  if (await session.exists(parent))
    await session.multi([{ type: 'remove', path: parent, version: -1 }]);
  return (
    finalMatches &&
    unexpected.length === 0 &&
    duplicateVersions === 0 &&
    acknowledged.size + conflicts === attempts
  );
}

async function main() {
  const session = new ZooKeeperSession(
    {
      name: 'bench',
      connectionString: zkConnection,
      root: ZK_ROOT,
      encoding: 'json',
      sessionTimeoutMs: 30000,
      servers: [],
    },
    quietLogger,
  );
  await session.ready(10_000);
  try {
    await readBenchmarks();
    await healthBaseline();
    await zookeeperBaseline(session);
    return await concurrentWriters(session);
  } finally {
    session.close();
  }
}

main().then(
  ok => process.exit(ok ? 0 : 1),
  error => {
    console.error(`benchmark failed: ${error.message}`);
    process.exit(1);
  },
);
