/** 12345 → "12,345"; null/undefined → "—". */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

/** Messages per second, 2 significant decimals. */
export function formatRate(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `${n >= 100 ? Math.round(n) : n.toFixed(2)}/s`;
}

/** Milliseconds as a short duration ("3.2 s", "4 min", "2.5 h"). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
