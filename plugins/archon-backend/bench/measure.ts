/*
 * The load benchmarks' measuring: `total` calls from `clients` concurrent
 * loops, requests/s, p50/p99 and failures, one printed line per figure.
 * Shared by loadBenchmark.ts and the scale scenario (scripts/bench/scale).
 */
export type Figures = { rps: number; p50: number; p99: number; errors: number };

export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Runs `total` calls of `once` from `clients` concurrent loops; `once` resolves to ok or not. */
export async function measure(
  total: number,
  clients: number,
  once: () => Promise<boolean>,
): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (started < total) {
        started++;
        const t = performance.now();
        if (!(await once())) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: total / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

export function line(label: string, f: Figures) {
  return `${label.padEnd(44)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50
    .toFixed(1)
    .padStart(6)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  errors ${
    f.errors
  }`;
}
