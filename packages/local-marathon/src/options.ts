import path from 'node:path';
import { PortRange } from './runtime/HostPortAllocator';

export interface LocalMarathonOptions {
  /** HTTP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Where state (apps, versions) and task sandboxes live. Default `./.local-marathon`. */
  dataDir?: string;
  /** Host ports handed to tasks. Default 31000-32000 (the Mesos agent default). */
  portRange?: PortRange;
  /**
   * A deployment step that has not finished after this many milliseconds fails the
   * deployment. Default 60000; 0 waits forever like real Marathon.
   */
  deploymentTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL grace when an app sets no taskKillGracePeriodSeconds. Default 3000. */
  taskKillGraceMs?: number;
  /** How often queued launches are retried (one local "offer"). Default 1000. */
  offerIntervalMs?: number;
  /**
   * How long finished tasks' sandboxes (stdout, stderr) stay readable through the
   * files API, like a Mesos agent's gc_delay. Default: ARCHON_MARATHON_SANDBOX_RETENTION
   * (e.g. `1h`, `30m`, `90s`, or seconds), else 1 hour.
   */
  sandboxRetentionMs?: number;
  /** Finished tasks' sandboxes kept per app at most (the newest). Default 20. */
  sandboxesPerApp?: number;
  /** Receives log lines (default: none). */
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<LocalMarathonOptions, 'log'>> & {
  log: (line: string) => void;
};

export const DEFAULT_PORT_RANGE: PortRange = { min: 31000, max: 32000 };

export function resolveOptions(options: LocalMarathonOptions): ResolvedOptions {
  return {
    port: options.port ?? 8080,
    host: options.host ?? '127.0.0.1',
    dataDir: path.resolve(options.dataDir ?? '.local-marathon'),
    portRange: options.portRange ?? DEFAULT_PORT_RANGE,
    deploymentTimeoutMs: options.deploymentTimeoutMs ?? 60_000,
    taskKillGraceMs: options.taskKillGraceMs ?? 3000,
    offerIntervalMs: options.offerIntervalMs ?? 1000,
    sandboxRetentionMs:
      options.sandboxRetentionMs ??
      parseDuration(process.env.ARCHON_MARATHON_SANDBOX_RETENTION) ??
      3_600_000,
    sandboxesPerApp: options.sandboxesPerApp ?? 20,
    log: options.log ?? (() => undefined),
  };
}

/** `1h`, `30m`, `90s`, `500ms` or plain seconds, in milliseconds; undefined when unset. */
export function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match)
    throw new Error(
      `Invalid duration '${text}', expected e.g. 1h, 30m, 90s or a number of seconds`,
    );
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    (match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'
  ];
  return Math.round(Number(match[1]) * factor);
}

/** "31000-32000" -> {min, max}. */
export function parsePortRange(text: string): PortRange {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match)
    throw new Error(`Invalid port range '${text}', expected e.g. 31000-32000`);
  const range = { min: Number(match[1]), max: Number(match[2]) };
  if (range.min < 1 || range.max > 65535 || range.min > range.max) {
    throw new Error(`Invalid port range '${text}'`);
  }
  return range;
}
