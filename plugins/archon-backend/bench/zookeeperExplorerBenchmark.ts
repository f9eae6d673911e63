/*
 * ZooKeeper explorer benchmark: a parent with 50,000 children. Prints
 * figures; asserts nothing (the functional paging test with 5,000 children
 * is in src/router/zookeeperRoutes.test.ts).
 *
 *   scripts/lib/toolchain.sh's archon_cluster start   # or scripts/start.sh --detach
 *   cd plugins/archon-backend
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/zookeeperExplorerBenchmark.ts
 *
 * Environment: ARCHON_ZK_PORT (default 2181), BENCH_CHILDREN (default
 * 50000), BENCH_PAGE (default 1000), BENCH_CONCURRENCY (stat calls in
 * flight, default the explorer's 64).
 *
 * Creates /archon-bench-explorer/many with the children (ZooKeeper
 * transactions of 1,000), then reports: the first page, paging through all
 * children (per-page p50/p99 and total), the last page by cursor, a search
 * over the subtree, and the recursive delete (counting and deleting, in
 * batches) that also cleans up.
 */
import {
  ZooKeeperSession,
  type ZooKeeperOp,
} from '../src/zookeeper/ZooKeeperSession';
import { ZooKeeperExplorer } from '../src/zookeeper/explorer';

const CHILDREN = Number(process.env.BENCH_CHILDREN ?? 50_000);
const PAGE = Number(process.env.BENCH_PAGE ?? 1000);
const TOP = '/archon-bench-explorer';
const PARENT = `${TOP}/many`;
const zkConnection = `127.0.0.1:${process.env.ARCHON_ZK_PORT ?? 2181}`;

const logger: any = {
  info() {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  debug() {},
  child() {
    return logger;
  },
};

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};

async function main() {
  const session = new ZooKeeperSession(
    {
      name: 'bench',
      connectionString: zkConnection,
      root: '/pheidippides',
      encoding: 'json',
      sessionTimeoutMs: 15000,
      servers: [],
    },
    logger,
  );
  const explorer = new ZooKeeperExplorer({
    session,
    ensemble: 'bench',
    limits: process.env.BENCH_CONCURRENCY
      ? { concurrency: Number(process.env.BENCH_CONCURRENCY) }
      : {},
  });
  try {
    await session.ready(10_000);
    if (await session.exists(TOP)) {
      const stat = (await session.exists(TOP))!;
      const count = await explorer
        .delete(TOP, { expectedVersion: stat.version, recursive: true })
        .catch(e => e);
      const n = Number(/expectedCount=(\d+)/.exec(String(count?.message))?.[1]);
      await explorer.delete(TOP, {
        expectedVersion: stat.version,
        recursive: true,
        expectedCount: n,
      });
      console.log(`removed a leftover ${TOP} (${n} znodes)`);
    }

    let t = process.hrtime.bigint();
    await session.multi([
      { type: 'create', path: TOP, data: Buffer.alloc(0) },
      { type: 'create', path: PARENT, data: Buffer.alloc(0) },
    ]);
    for (let start = 0; start < CHILDREN; start += 1000) {
      const ops: ZooKeeperOp[] = [];
      for (let i = start; i < Math.min(CHILDREN, start + 1000); i++) {
        ops.push({
          type: 'create',
          path: `${PARENT}/child-${String(i).padStart(6, '0')}`,
          data: Buffer.from(`value ${i}`),
        });
      }
      await session.multi(ops);
    }
    console.log(`created ${CHILDREN} children in ${ms(t).toFixed(0)} ms`);

    t = process.hrtime.bigint();
    const first = await explorer.list(PARENT, { limit: PAGE });
    console.log(
      `first page (${first.items.length} with stats) of ${first.total}: ${ms(
        t,
      ).toFixed(0)} ms`,
    );

    const pageTimes: number[] = [];
    let cursor: string | undefined;
    let seen = 0;
    t = process.hrtime.bigint();
    do {
      const p = process.hrtime.bigint();
      const page = await explorer.list(PARENT, { limit: PAGE, cursor });
      pageTimes.push(ms(p));
      seen += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    console.log(
      `all ${seen} children in ${pageTimes.length} pages of ${PAGE}: ${ms(
        t,
      ).toFixed(0)} ms ` +
        `(per page p50 ${pct(pageTimes, 50).toFixed(0)} ms, p99 ${pct(
          pageTimes,
          99,
        ).toFixed(0)} ms, max ${Math.max(...pageTimes).toFixed(0)} ms)`,
    );

    t = process.hrtime.bigint();
    const last = await explorer.list(PARENT, {
      limit: 100,
      cursor: `child-${String(CHILDREN - 101).padStart(6, '0')}`,
    });
    console.log(
      `last page by cursor (${last.items.length}): ${ms(t).toFixed(0)} ms`,
    );

    t = process.hrtime.bigint();
    const found = await explorer.search(TOP, '-049', { maxResults: 1000 });
    console.log(
      `search "-049" under ${TOP}: ${found.matches.length} matches, ${
        found.visited
      } visited, truncated ${found.truncated}: ${ms(t).toFixed(0)} ms`,
    );

    t = process.hrtime.bigint();
    const stat = (await session.exists(TOP))!;
    const counted = await explorer
      .delete(TOP, { expectedVersion: stat.version, recursive: true })
      .catch(e => e);
    const count = Number(
      /expectedCount=(\d+)/.exec(String(counted?.message))?.[1],
    );
    console.log(
      `recursive delete, counting ${count} znodes: ${ms(t).toFixed(0)} ms`,
    );
    t = process.hrtime.bigint();
    const deleted = await explorer.delete(TOP, {
      expectedVersion: stat.version,
      recursive: true,
      expectedCount: count,
    });
    console.log(
      `recursive delete of ${deleted.deleted} znodes in ${
        deleted.transactions
      } transactions (count included): ${ms(t).toFixed(0)} ms`,
    );
  } finally {
    session.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
