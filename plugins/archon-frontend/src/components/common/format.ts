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

/** Bytes in binary units, 3 significant digits ("0 B", "512 B", "1.21 MiB"). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${n} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

/** A retention in milliseconds as Kafka users say it ("7 d", "1 h", "forever" for -1). */
export function formatRetention(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 0) return 'forever';
  const day = 86_400_000;
  if (ms >= day && ms % (day / 24) === 0) {
    const days = ms / day;
    return Number.isInteger(days) ? `${days} d` : `${days.toFixed(1)} d`;
  }
  return formatDuration(ms);
}
