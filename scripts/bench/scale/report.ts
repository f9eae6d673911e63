/*
 * The scale scenario's table: each figure with its floor or peer and the
 * issue's goal beside it (#21). Prints; judges nothing but "meets" or
 * "misses" in the last column, so a reader sees at a glance what to profile.
 */
import type { Figures } from '../../../plugins/archon-backend/bench/measure';
import type { Timed } from './floors';
import type { KafdropFigures } from './kafdrop';
import type { PageFigure, PanFigure } from './pages';

export interface ScaleResults {
  size: string;
  /** Why the run differs from the issue's scenario, if it does. */
  note?: string;
  machine: string;
  portalMode: string;
  seeds: Array<[string, number]>;
  kcat?: { cold: Timed; warm: Timed };
  kafkaCli?: { describe: Timed; offsets: Timed } | string;
  listCold?: Timed & { topics: number; partitions: number; pages: number };
  listWarm?: Timed;
  /** The same listing with every figure (size, retention, rate, groups too), as the portal's columns. */
  listAllFigures?: Timed;
  firstPage?: Timed;
  load?: {
    effective: Figures;
    zookeeper: Figures;
    health: Figures;
    liveness: Figures;
  };
  pages?: PageFigure[];
  pan?: PanFigure;
  panError?: string;
  memory?: { rss: number; heapUsed: number };
  kafdrop?: KafdropFigures | string;
  /** Top self time in the backend during a step, by step. */
  profiles: Record<string, string[]>;
  graph?: string;
}

const ms = (t?: { ms: number }) =>
  t && Number.isFinite(t.ms) ? `${t.ms.toFixed(0)} ms` : 'n/a';
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MiB`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const verdict = (ok: boolean | undefined) =>
  ok === undefined ? '' : ok ? 'meets' : 'MISSES';

export function printReport(r: ScaleResults) {
  const rows: string[][] = [];
  const row = (
    what: string,
    figure: string,
    beside: string,
    goal = '',
    ok?: boolean,
  ) => rows.push([what, figure, beside, goal, verdict(ok)]);
  const ratio = (a?: { ms: number }, b?: { ms: number }) =>
    a && b ? a.ms / b.ms : NaN;

  if (r.kcat) {
    row(
      'kcat -L (cold / warm)',
      `${ms(r.kcat.cold)} / ${ms(r.kcat.warm)}`,
      r.kcat.cold.note ?? '',
    );
  }
  if (typeof r.kafkaCli === 'string')
    row('kafka-topics.sh, kafka-get-offsets.sh', 'skipped', r.kafkaCli);
  else if (r.kafkaCli) {
    row(
      'kafka-topics.sh --describe',
      ms(r.kafkaCli.describe),
      r.kafkaCli.describe.note ?? '',
    );
    row(
      'kafka-get-offsets.sh (all partitions)',
      ms(r.kafkaCli.offsets),
      r.kafkaCli.offsets.note ?? '',
    );
  }
  if (r.listCold) {
    const cold = ratio(r.listCold, r.kcat?.cold);
    row(
      `archon: all topics with counts, cold (${r.listCold.pages} pages)`,
      ms(r.listCold),
      `${cold.toFixed(2)}x kcat cold; ${r.listCold.topics} topics, ${
        r.listCold.partitions
      } partitions`,
      '<= 2x kcat',
      Number.isFinite(cold) ? cold <= 2 : undefined,
    );
  }
  if (r.listWarm) {
    const warm = ratio(r.listWarm, r.kcat?.warm);
    row(
      'archon: the same, warm',
      ms(r.listWarm),
      `${warm.toFixed(2)}x kcat warm${
        r.listWarm.note ? ` (${r.listWarm.note})` : ''
      }`,
      '<= 1.5x kcat',
      Number.isFinite(warm) ? warm <= 1.5 : undefined,
    );
  }
  if (r.listAllFigures) {
    row(
      'archon: all topics with every figure, warm',
      ms(r.listAllFigures),
      `${ratio(r.listAllFigures, r.kcat?.warm).toFixed(
        2,
      )}x kcat warm; + size, retention, rate, groups (${
        r.listAllFigures.note ?? ''
      })`,
    );
  }
  if (r.firstPage) {
    const first = ratio(r.firstPage, r.kcat?.warm);
    row(
      "archon: the topic list's first page (25)",
      ms(r.firstPage),
      `${first.toFixed(2)}x kcat warm`,
      '<= 0.5x kcat',
      Number.isFinite(first) ? first <= 0.5 : undefined,
    );
  }
  if (typeof r.kafdrop === 'string')
    row('Kafdrop (peer)', 'skipped', r.kafdrop);
  else if (r.kafdrop) {
    row(
      'Kafdrop /topic JSON (cold / warm), no counts',
      `${ms(r.kafdrop.topicJsonCold)} / ${ms(r.kafdrop.topicJsonWarm)}`,
      r.kafdrop.topicJsonCold.note ?? '',
    );
    row(
      "Kafdrop's / page",
      ms(r.kafdrop.indexPage),
      r.kafdrop.indexPage.note ?? '',
    );
  }
  if (r.load) {
    const { effective, zookeeper, health, liveness } = r.load;
    const eff = effective.rps / zookeeper.rps;
    row(
      'effective config, 16 clients',
      `${effective.rps.toFixed(0)} req/s, p99 ${effective.p99.toFixed(0)} ms`,
      `${eff.toFixed(2)}x ZooKeeper getData (${zookeeper.rps.toFixed(
        0,
      )} req/s); ${(effective.rps / health.rps).toFixed(
        2,
      )}x /health, archon's route that answers from memory`,
      '>= 0.5x',
      eff >= 0.5,
    );
    const h = health.rps / liveness.rps;
    row(
      '/health, 16 clients',
      `${health.rps.toFixed(0)} req/s, p99 ${health.p99.toFixed(0)} ms`,
      `${h.toFixed(2)}x liveness (${liveness.rps.toFixed(0)} req/s)`,
      '>= 0.5x, p99 < 50 ms',
      h >= 0.5 && health.p99 < 50,
    );
  }
  for (const p of r.pages ?? []) {
    const shown = Number.isFinite(p.ms);
    const ok = shown && p.ms < 2000 && p.settledBytes <= 2 * 1048576;
    row(
      `page: ${p.page}`,
      shown
        ? `${p.ms.toFixed(0)} ms (all data ${
            Number.isFinite(p.settledMs)
              ? `${p.settledMs.toFixed(0)} ms`
              : 'not settled in 60 s'
          })`
        : 'no content',
      `JSON ${kib(p.bytes)} at first content, ${kib(p.settledBytes)} in all${
        p.note ? `; ${p.note}` : ''
      }`,
      '< 2 s, <= 2 MB JSON',
      ok,
    );
  }
  if (r.pan) {
    row(
      `page: Pipelines, ${r.pan.nodes}`,
      `${r.pan.firstPaintMs.toFixed(0)} ms first paint`,
      `${kib(r.pan.jsonBytes)} JSON`,
      '< 2 s, <= 2 MB JSON',
      r.pan.firstPaintMs < 2000 && r.pan.jsonBytes <= 2 * 1048576,
    );
    row(
      'Pipelines: panning',
      `${r.pan.fps.toFixed(0)} fps`,
      `p95 frame ${r.pan.p95FrameMs.toFixed(0)} ms`,
      '>= 30 fps',
      r.pan.fps >= 30,
    );
  } else if (r.panError)
    row('page: Pipelines at ~500 nodes', 'failed', r.panError);
  if (r.memory) {
    row(
      'backend memory after the scenario',
      `RSS ${mib(r.memory.rss)}`,
      `heap used ${mib(r.memory.heapUsed)}`,
      '< 1 GiB RSS',
      r.memory.rss < 1024 ** 3,
    );
  }

  const widths = [0, 1, 2, 3, 4].map(i =>
    Math.max(...rows.map(x => x[i].length), 4),
  );
  console.log(`\n== bench:scale — ${r.size}`);
  console.log(`   ${r.machine}; portal: ${r.portalMode}`);
  if (r.note) console.log(`   note: ${r.note}`);
  console.log(
    `   seeding: ${r.seeds
      .map(([what, t]) => `${what} ${(t / 1000).toFixed(1)} s`)
      .join(', ')}`,
  );
  if (r.graph) console.log(`   graph: ${r.graph}`);
  for (const x of rows)
    console.log(`   ${x.map((c, i) => c.padEnd(widths[i])).join('  ')}`);
  for (const [step, top] of Object.entries(r.profiles)) {
    console.log(
      `\n   where ${step} went in the backend (CPU profile, self time):`,
    );
    for (const l of top) console.log(`     ${l}`);
  }
}
