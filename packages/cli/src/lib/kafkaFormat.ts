import type { KafkaTopicUsage } from '@archon/plugin-archon-common';
import { UsageError } from './errors';
import type { Colors } from './output';

export function num(n: number | null | undefined): string {
  return n === null || n === undefined ? '-' : n.toLocaleString('en-US');
}

export function rate(n: number | null | undefined): string {
  if (n === null || n === undefined) return '-';
  return n >= 100 ? Math.round(n).toString() : n.toFixed(n >= 10 ? 1 : 2);
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} m`;
}

/**
 * A consumer group's time lag: the duration, "≥" it when some partitions
 * could not be read, "unknown" when none could (the reason is in --json).
 */
export function timeLag(
  ms: number | null | undefined,
  unknown?: string | null,
): string {
  if (ms === null || ms === undefined) return unknown ? 'unknown' : '-';
  return `${unknown ? '≥ ' : ''}${duration(ms)}`;
}

/** What uses a topic, for the question before deleting it or adding partitions. */
export function formatTopicUsage(
  usage: KafkaTopicUsage | undefined,
  colors: Colors,
): string[] {
  if (!usage) return [];
  const groups = usage.consumerGroups ?? [];
  const connectors = usage.connectors ?? [];
  const clients = usage.clients ?? [];
  if (!groups.length && !connectors.length && !clients.length)
    return [
      colors.dim(
        '  nothing uses it (no consumer groups, connectors or clients)',
      ),
    ];
  const lines: string[] = [];
  if (groups.length) {
    lines.push(
      `  consumer groups: ${groups
        .map(g => `${g.groupId} (${g.state ?? '?'}, lag ${num(g.lag)})`)
        .join(', ')}`,
    );
  }
  if (connectors.length) {
    lines.push(
      `  connectors: ${connectors
        .map(
          c =>
            `${c.connectCluster}/${c.name} (${c.type ?? '?'}, ${
              c.state ?? '?'
            })`,
        )
        .join(', ')}`,
    );
  }
  if (clients.length) {
    lines.push(
      `  clients: ${clients.map(c => `${c.clientId}@${c.host}`).join(', ')}`,
    );
  }
  return lines;
}

/** An ISO date-time or epoch milliseconds. */
export function parseTimestamp(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new UsageError(
      `"${text}" is not a time (ISO 8601 like 2025-01-31T12:00:00Z, or epoch milliseconds)`,
    );
  return t;
}
