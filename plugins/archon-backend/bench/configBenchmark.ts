/*
 * Pheidippides configuration benchmark. Prints figures; asserts nothing.
 *
 *   scripts/start.sh --detach    # the portal and the local cluster
 *   yarn workspace @archon/plugin-archon-backend bench:config
 *
 * Generates 10,000 app paths (depth 4, ~30 keys per level, 20% of values
 * with ${} substitutions) under /archon-bench in the local ZooKeeper, then
 * reports: a cold load of the watch-driven cache; resolving all 10,000
 * effective configs from the warm cache; the same through a naive baseline
 * that reads every ancestor from ZooKeeper per request (ratio, same run);
 * and p50/p99 of GET /config/effective against the running portal under
 * concurrent load. The tree is removed afterwards.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'undici';
import {
  ConfigResolver,
  createConfigTreeSnapshot,
  defaultConfigSetCodec,
  type ConfigProperties,
} from '../src/config/core';
import { ConfigTreeCache } from '../src/config/store/ConfigTreeCache';
import {
  ZooKeeperSession,
  type ZooKeeperOp,
} from '../src/zookeeper/ZooKeeperSession';

const FANOUT = 10; // 10 × 10 × 10 × 10 = 10,000 apps at depth 4
const KEYS_PER_LEVEL = 30;
const ROOT = '/pheidippides';
const TOP = '/archon-bench';
const zkConnection = `127.0.0.1:${process.env.ARCHON_ZK_PORT ?? 2181}`;
const portal = process.env.ARCHON_URL ?? 'http://localhost:7007';
const repoRoot = resolve(__dirname, '../../..');

const logger: any = {
  info() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  debug() {},
  child() {
    return logger;
  },
};

function levelSet(depth: number, index: number): ConfigProperties {
  const props: ConfigProperties = {};
  for (let k = 0; k < KEYS_PER_LEVEL; k++) {
    const key = `l${depth}.key${k}`;
    // Every fifth value refers to a key defined one level up (or a sibling at the top).
    if (k % 5 !== 0) props[key] = `value-${depth}-${index}-${k}`;
    else if (depth > 1) props[key] = `\${l${depth - 1}.key${k + 1}}-${index}`;
    else props[key] = `\${l1.key${k + 1}}`;
  }
  props.shared = `level-${depth}`; // overridden down every path
  return props;
}

function allLevels(): Array<{ path: string; properties: ConfigProperties }> {
  const levels: Array<{ path: string; properties: ConfigProperties }> = [];
  const walk = (path: string, depth: number) => {
    for (let i = 0; i < FANOUT; i++) {
      const child = `${path}/n${i}`;
      levels.push({ path: child, properties: levelSet(depth, i) });
      if (depth < 4) walk(child, depth + 1);
    }
  };
  levels.push({ path: TOP, properties: { top: 'yes' } });
  walk(TOP, 1);
  return levels;
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function main() {
  const session = new ZooKeeperSession(
    {
      name: 'bench',
      connectionString: zkConnection,
      root: ROOT,
      encoding: 'json',
      sessionTimeoutMs: 30000,
      servers: [],
    },
    logger,
  );
  await session.ready(10_000);
  const levels = allLevels();
  const apps = levels
    .filter(l => l.path.split('/').length === 6)
    .map(l => l.path);
  console.log(
    `levels: ${levels.length}, app paths: ${apps.length}, keys per level: ${KEYS_PER_LEVEL}`,
  );

  // Write the tree in ZooKeeper transactions of 200 znodes.
  if (await session.exists(`${ROOT}${TOP}`))
    await removeTree(session, `${ROOT}${TOP}`);
  if (!(await session.exists(ROOT)))
    await session.multi([
      { type: 'create', path: ROOT, data: Buffer.alloc(0) },
    ]);
  let t = Date.now();
  for (let i = 0; i < levels.length; i += 200) {
    await session.multi(
      levels.slice(i, i + 200).map(l => ({
        type: 'create' as const,
        path: `${ROOT}${l.path}`,
        data: defaultConfigSetCodec.encode(l.properties),
      })),
    );
  }
  console.log(`write tree: ${Date.now() - t} ms`);

  // 1. Cold load of the watch-driven cache.
  const cache = new ConfigTreeCache({
    session,
    root: ROOT,
    codec: defaultConfigSetCodec,
    logger,
  });
  t = performance.now();
  cache.start();
  await cache.ready(120_000);
  const coldMs = performance.now() - t;
  console.log(
    `cold cache load: ${coldMs.toFixed(0)} ms (${
      cache.snapshot().size
    } levels)`,
  );

  // 2. Resolve all apps from the warm cache.
  const resolver = new ConfigResolver();
  const snapshot = cache.snapshot();
  resolver.resolve(snapshot, apps[0]);
  t = performance.now();
  let keys = 0;
  for (const app of apps)
    keys += Object.keys(resolver.resolve(snapshot, app).properties).length;
  const warmMs = performance.now() - t;
  console.log(
    `warm: resolve ${apps.length} effective configs: ${warmMs.toFixed(
      0,
    )} ms (${((warmMs * 1000) / apps.length).toFixed(
      1,
    )} µs each, ${keys} keys)`,
  );

  // 3. Naive baseline: read every ancestor from ZooKeeper per request, then resolve.
  t = performance.now();
  const CONCURRENCY = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < apps.length) {
        const app = apps[next++];
        const segments = app.split('/').filter(Boolean);
        const sets: Record<string, ConfigProperties> = {};
        for (let d = 1; d <= segments.length; d++) {
          const path = `/${segments.slice(0, d).join('/')}`;
          const node = await session.getData(`${ROOT}${path}`);
          sets[path] =
            node && node.data.length
              ? defaultConfigSetCodec.decode(node.data, path)
              : {};
        }
        resolver.resolve(createConfigTreeSnapshot(sets), app);
      }
    }),
  );
  const naiveMs = performance.now() - t;
  console.log(
    `naive (ZooKeeper reads per request, ${CONCURRENCY} concurrent): ${naiveMs.toFixed(
      0,
    )} ms`,
  );
  console.log(`ratio naive / warm cache: ${(naiveMs / warmMs).toFixed(1)}x`);

  // 4. GET /config/effective on the running portal under load.
  const tokenFile = resolve(repoRoot, '.archon/api-token');
  const token =
    process.env.ARCHON_TOKEN ?? readFileSync(tokenFile, 'utf8').trim();
  const headers = { authorization: `Bearer ${token}` };
  const last = apps[apps.length - 1];
  for (let i = 0; i < 600; i++) {
    const r = await request(`${portal}/api/archon/config/effective${last}`, {
      headers,
    });
    await r.body.dump();
    if (r.statusCode === 200) break;
    await new Promise(r2 => setTimeout(r2, 100));
  }
  const REQUESTS = 5000;
  const HTTP_CONCURRENCY = 16;
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        const app = apps[Math.floor(Math.random() * apps.length)];
        const started = performance.now();
        const r = await request(`${portal}/api/archon/config/effective${app}`, {
          headers,
        });
        await r.body.dump();
        latencies.push(performance.now() - started);
        if (r.statusCode !== 200) errors++;
      }
    }),
  );
  const httpMs = performance.now() - t;
  latencies.sort((a, b) => a - b);
  console.log(
    `HTTP GET /config/effective: ${REQUESTS} requests, ${HTTP_CONCURRENCY} concurrent: ${(
      REQUESTS /
      (httpMs / 1000)
    ).toFixed(0)} req/s, p50 ${percentile(latencies, 50).toFixed(
      1,
    )} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, errors ${errors}`,
  );

  await removeTree(session, `${ROOT}${TOP}`);
  session.close();
}

async function removeTree(session: ZooKeeperSession, root: string) {
  const order: string[] = [];
  const walk = async (path: string) => {
    order.push(path);
    const children = await session.getChildren(path);
    for (const c of children?.children ?? []) await walk(`${path}/${c}`);
  };
  await walk(root);
  order.reverse();
  for (let i = 0; i < order.length; i += 500) {
    const ops: ZooKeeperOp[] = order
      .slice(i, i + 500)
      .map(path => ({ type: 'remove', path, version: -1 }));
    await session.multi(ops);
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(`benchmark failed: ${error.message}`);
    process.exit(1);
  },
);
