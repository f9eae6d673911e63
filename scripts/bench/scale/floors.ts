/*
 * The API figures and their floors, in the same run against the same private
 * cluster: `kcat -L` (metadata only), Kafka's own `kafka-topics.sh
 * --describe` and `kafka-get-offsets.sh` (TopicCommand and GetOffsetShell
 * from the jars the local cluster runs, plus the kafka-tools jar of the same
 * version), archon's listing of every topic with counts paged through every
 * cursor, the first page the portal's topic list asks for, effective-config
 * reads against direct ZooKeeper reads and /health against Backstage's
 * liveness at 16 clients (loadBenchmark's measuring).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { KAFKA_VERSION } from '@archon/local-cluster';
import {
  type Figures,
  line,
  measure,
} from '../../../plugins/archon-backend/bench/measure';
import type { ZooKeeperSession } from '../../../plugins/archon-backend/src/zookeeper/ZooKeeperSession';
import { ensureKcat } from '../../../plugins/archon-kafka/bench/seedKafka';

export type Timed = { ms: number; note?: string };

export async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

/** The median of `runs` timings of `fn` (single samples on 2 shared cores vary by 40% and more). */
export async function medianOf<T extends Timed>(
  runs: number,
  fn: () => Promise<T> | T,
): Promise<T> {
  const samples: T[] = [];
  for (let i = 0; i < runs; i++) samples.push(await fn());
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(samples.length / 2)];
  return {
    ...median,
    note: [median.note, `median of ${runs}`].filter(Boolean).join(', '),
  };
}

/** kcat -L cold (the first pays the connection and the broker's first answer), then warm: the median of 5. */
export async function kcatFloor(
  broker: string,
): Promise<{ cold: Timed; warm: Timed } | undefined> {
  const kcat = ensureKcat();
  if (!kcat) return undefined;
  const once = (): Timed => {
    const started = performance.now();
    const out = execFileSync(kcat, ['-L', '-b', broker], {
      maxBuffer: 512 * 1024 * 1024,
    }).toString();
    return {
      ms: performance.now() - started,
      note: `${(out.match(/topic "/g) ?? []).length} topics`,
    };
  };
  const cold = once();
  return { cold, warm: await medianOf(5, once) };
}

/**
 * Kafka's CLI tools live in org.apache.kafka:kafka-tools, which the broker
 * does not need: fetched once (Maven, like the cluster's jars) beside the
 * cluster's cache, run with the broker's classpath.
 */
function kafkaToolsClasspath(cacheDir: string): string | undefined {
  const dir = join(cacheDir, 'bench', `kafka-tools-${KAFKA_VERSION}`);
  if (!existsSync(join(dir, `kafka-tools-${KAFKA_VERSION}.jar`))) {
    mkdirSync(dir, { recursive: true });
    const mvn = spawnSync(
      process.env.ARCHON_MVN ?? 'mvn',
      [
        '-q',
        '-B',
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
        `-Dartifact=org.apache.kafka:kafka-tools:${KAFKA_VERSION}`,
        `-DoutputDirectory=${dir}`,
      ],
      { stdio: 'ignore', cwd: dir },
    );
    if (mvn.status !== 0) return undefined;
  }
  return [join(dir, '*'), join(cacheDir, 'kafka', 'lib', '*')].join(':');
}

export function kafkaCliFloors(
  cacheDir: string,
  broker: string,
): { describe: Timed; offsets: Timed } | string {
  const classpath = kafkaToolsClasspath(cacheDir);
  if (!classpath) return 'kafka-tools could not be fetched with Maven';
  const run = (main: string, args: string[], count: RegExp): Timed => {
    const started = performance.now();
    const out = execFileSync(
      'java',
      ['-Xmx1g', '-cp', classpath, main, '--bootstrap-server', broker, ...args],
      { maxBuffer: 512 * 1024 * 1024 },
    ).toString();
    return {
      ms: performance.now() - started,
      note: `${(out.match(count) ?? []).length} lines`,
    };
  };
  return {
    describe: run(
      'org.apache.kafka.tools.TopicCommand',
      ['--describe'],
      /\tPartition: /g,
    ),
    offsets: run('org.apache.kafka.tools.GetOffsetShell', [], /:\d+:\d+$/gm),
  };
}

export class PortalApi {
  constructor(readonly url: string, readonly token: string) {}

  async json(path: string): Promise<any> {
    const r = await request(`${this.url}/api/archon${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    });
    const text = await r.body.text();
    if (r.statusCode !== 200)
      throw new Error(`GET ${path}: ${r.statusCode} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  }

  async ok(path: string): Promise<boolean> {
    const r = await request(`${this.url}/api/archon${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    await r.body.dump();
    return r.statusCode >= 200 && r.statusCode < 300;
  }

  async okRoot(path: string): Promise<boolean> {
    const r = await request(`${this.url}${path}`);
    await r.body.dump();
    return r.statusCode >= 200 && r.statusCode < 300;
  }
}

/**
 * Every topic, 1,000 a page (the API's maximum), through every cursor: with
 * its message count (`fields=messages`, what the goal compares with kcat),
 * or with `fields` undefined every figure the portal's columns show.
 */
export async function listAllTopics(
  api: PortalApi,
  cluster: string,
  fields: string | undefined = 'messages',
): Promise<Timed & { topics: number; partitions: number; pages: number }> {
  const started = performance.now();
  let cursor: string | undefined;
  let topics = 0;
  let partitions = 0;
  let pages = 0;
  do {
    const page = await api.json(
      `/kafka/${cluster}/topics?limit=1000${fields ? `&fields=${fields}` : ''}${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
    );
    pages++;
    topics += page.items.length;
    for (const t of page.items) partitions += t.partitions;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { ms: performance.now() - started, topics, partitions, pages };
}

/** What the portal's topic list asks first (TopicsTable: 25 a page, internal topics hidden). */
export const FIRST_PAGE = (cluster: string) =>
  `/kafka/${cluster}/topics?includeInternal=false&limit=25`;

export interface LoadFigures {
  effective: Figures;
  zookeeper: Figures;
  health: Figures;
  liveness: Figures;
}

/**
 * Effective-config reads of `paths` vs direct getData of the same levels;
 * /health vs liveness. Three rounds, each figure beside its floor, and the
 * median round of each (by req/s) is the figure: single rounds of liveness
 * varied from 1,084 to 2,123 req/s between runs on 2 shared cores. Only the
 * first round of archon's steps is profiled.
 */
export async function loadFigures(
  api: PortalApi,
  session: ZooKeeperSession,
  zkRoot: string,
  paths: string[],
  requests: number,
  clients: number,
  log: (line: string) => void,
  /** Wraps archon's two measured steps (a CPU profile of each). */
  around: <T>(step: string, fn: () => Promise<T>) => Promise<T> = (_, fn) =>
    fn(),
): Promise<LoadFigures> {
  let i = 0;
  const nextPath = () => paths[i++ % paths.length];
  const rounds: LoadFigures[] = [];
  for (let round = 0; round < 3; round++) {
    const profiledOnce = <T>(step: string, fn: () => Promise<T>) =>
      round === 0 ? around(step, fn) : fn();
    const zookeeper = await measure(requests, clients, async () =>
      Boolean(await session.getData(`${zkRoot}${nextPath()}`)),
    );
    const effective = await profiledOnce(
      'effective-config reads at 16 clients',
      () =>
        measure(requests, clients, () =>
          api.ok(`/config/effective${nextPath()}`),
        ),
    );
    const liveness = await measure(requests, clients, () =>
      api.okRoot('/.backstage/health/v1/liveness'),
    );
    const health = await profiledOnce('/health at 16 clients', () =>
      measure(requests, clients, () => api.ok('/health')),
    );
    rounds.push({ effective, zookeeper, health, liveness });
  }
  const median = (key: keyof LoadFigures): Figures =>
    rounds.map(r => r[key]).sort((a, b) => a.rps - b.rps)[1];
  const figures = {
    zookeeper: median('zookeeper'),
    effective: median('effective'),
    liveness: median('liveness'),
    health: median('health'),
  };
  const of = (f: Figures) => `${f.rps.toFixed(0)}`;
  log(
    line(`ZooKeeper getData (${paths.length} levels)`, figures.zookeeper) +
      `  rounds ${rounds.map(r => of(r.zookeeper)).join('/')}`,
  );
  log(
    line('GET /config/effective/<same levels>', figures.effective) +
      `  rounds ${rounds.map(r => of(r.effective)).join('/')}`,
  );
  log(
    line('GET /.backstage/health/v1/liveness', figures.liveness) +
      `  rounds ${rounds.map(r => of(r.liveness)).join('/')}`,
  );
  log(
    line('GET /api/archon/health', figures.health) +
      `  rounds ${rounds.map(r => of(r.health)).join('/')}`,
  );
  return figures;
}
