/*
 * The scale scenario's Pheidippides tree: CONFIG_PATHS configuration levels
 * under /scale, written straight to ZooKeeper (transactions of 200 znodes,
 * parents first) under the ensemble's root. Shaped like a real estate:
 * org → team → service → environment (depth 4; two of four have regions)
 * → region (5) → node (6, until the budget is spent): leaves at depth 4–6, 10–40 keys a level, a fifth of the
 * values `${}` references to keys of the levels above, some keys overridden
 * further down. Deterministic: the same size gives the same tree.
 */
import { defaultConfigSetCodec } from '../../../plugins/archon-backend/src/config/core';
import type { ZooKeeperSession } from '../../../plugins/archon-backend/src/zookeeper/ZooKeeperSession';

/** Children per level at depth 1..6 (breadth first until the budget is spent). */
const FANOUT = [5, 6, 8, 4, 4, 4];
/** Environments that have regions below them (the others are leaves at depth 4). */
const REGIONAL_ENVS = 2;
const LEVEL_NAMES = ['org', 'team', 'svc', 'env', 'region', 'node'];
export const CONFIG_TOP = '/scale';

export interface ConfigLevel {
  path: string;
  depth: number;
  properties: Record<string, string>;
}

/** A small deterministic PRNG (mulberry32), so every run writes the same tree. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function properties(
  depth: number,
  index: number,
  next: () => number,
): Record<string, string> {
  const count = 10 + Math.floor(next() * 31); // 10..40
  const props: Record<string, string> = {
    // Every level overrides it: the deepest one wins.
    'log.level': ['INFO', 'DEBUG', 'WARN'][index % 3],
  };
  for (let k = 0; k < count; k++) {
    const key = `${LEVEL_NAMES[depth - 1]}.key${k}`;
    // Keys 0..9 exist at every level (10 keys at least): safe to refer to.
    if (depth > 1 && k % 5 === 0) {
      const up = 1 + Math.floor(next() * (depth - 1));
      props[key] = `\${${LEVEL_NAMES[up - 1]}.key${k % 10}}/${index}`;
    } else {
      props[key] = `value-${depth}-${index}-${k}`;
    }
  }
  return props;
}

/** The levels, parents before children; `count` levels (the top level not counted). */
export function configLevels(count: number): ConfigLevel[] {
  const next = random(21);
  const levels: ConfigLevel[] = [];
  let frontier = [{ path: CONFIG_TOP, depth: 0 }];
  while (levels.length < count && frontier.length) {
    const children: Array<{ path: string; depth: number }> = [];
    for (const parent of frontier) {
      const depth = parent.depth + 1;
      if (depth > FANOUT.length) break;
      for (let i = 0; i < FANOUT[depth - 1] && levels.length < count; i++) {
        const path = `${parent.path}/${LEVEL_NAMES[depth - 1]}-${i}`;
        levels.push({ path, depth, properties: properties(depth, i, next) });
        if (depth !== 4 || i < REGIONAL_ENVS) children.push({ path, depth });
      }
    }
    frontier = children;
  }
  return levels;
}

/** Writes the top level and `levels` under `root`, replacing nothing: the private ZooKeeper is fresh. */
export async function writeConfigTree(
  session: ZooKeeperSession,
  root: string,
  levels: ConfigLevel[],
): Promise<void> {
  const encode = (p: Record<string, string>) => defaultConfigSetCodec.encode(p);
  const all = [
    { path: CONFIG_TOP, properties: { 'estate.name': 'scale' } },
    ...levels,
  ];
  if (!(await session.exists(root)))
    await session.multi([
      { type: 'create', path: root, data: Buffer.alloc(0) },
    ]);
  for (let i = 0; i < all.length; i += 200) {
    await session.multi(
      all.slice(i, i + 200).map(l => ({
        type: 'create' as const,
        path: `${root}${l.path}`,
        data: encode(l.properties),
      })),
    );
  }
}
