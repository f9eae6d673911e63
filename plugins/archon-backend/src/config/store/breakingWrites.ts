import { UnprocessableError } from '@archon/plugin-archon-node';
import {
  maskResolutionFailure,
  type ConfigImpactAnalyzer,
  type ConfigLevel,
  type ConfigPathStartsFailing,
  type ConfigTreeSnapshot,
} from '../core';
import type { ConfigWriteCheck } from './ConfigSetWriter';

/** One path a write would break: the keys that would stop resolving and why. */
export interface BrokenPath {
  path: string;
  keys: string[];
  reason: string;
}

export function brokenPathsOf(
  failing: ConfigPathStartsFailing[],
): BrokenPath[] {
  return failing.map(({ path, failure }) => ({
    path,
    keys: [...failure.unresolvedKeys],
    reason: failure.problems.map(p => p.message).join('; '),
  }));
}

/**
 * A write was refused because a path at or below the level that resolves
 * now would fail to resolve after it (HTTP 422, `details.brokenPaths`).
 * Nothing was written; `force: true` writes anyway.
 */
export class ConfigWriteBreaksError extends UnprocessableError {
  readonly failing: ConfigPathStartsFailing[];

  constructor(levelPath: string, failing: ConfigPathStartsFailing[]) {
    const brokenPaths = brokenPathsOf(failing);
    super(
      `This write to ${levelPath} would break ${brokenPaths.length} path${
        brokenPaths.length === 1 ? '' : 's'
      } that resolve${brokenPaths.length === 1 ? 's' : ''} now: ${brokenPaths
        .map(b => `${b.path} (${b.reason})`)
        .join(
          '; ',
        )}. Nothing was written; fix the references, or send force: true to write anyway`,
      { brokenPaths },
    );
    this.failing = failing;
  }

  static is(error: unknown): error is ConfigWriteBreaksError {
    return error instanceof ConfigWriteBreaksError;
  }

  /** The same refusal with text taken from secret values hidden. */
  masked(
    levelPath: string,
    patterns: readonly string[],
  ): ConfigWriteBreaksError {
    return new ConfigWriteBreaksError(
      levelPath,
      this.failing.map(f => ({
        path: f.path,
        failure: maskResolutionFailure(f.failure, patterns),
      })),
    );
  }
}

/**
 * The check a write runs right before it lands: the impact of the proposed
 * set on the level as just read from ZooKeeper (the rest of the tree from the
 * cache). Paths that already fail, and a level the write creates, do not
 * block; existing paths that would start failing refuse the write unless `force`, in which case they are handed to
 * `onForced` for the audit and the history.
 */
export function breakingWriteCheck(options: {
  path: string;
  snapshot: () => ConfigTreeSnapshot;
  analyzer: ConfigImpactAnalyzer;
  force?: boolean;
  onForced?: (broken: BrokenPath[]) => void;
}): ConfigWriteCheck {
  return (before: ConfigLevel | undefined, proposed) => {
    const levels = new Map(options.snapshot());
    if (before) levels.set(options.path, before);
    else levels.delete(options.path);
    const report = options.analyzer.analyze(levels, options.path, proposed);
    // Only levels that exist now can have resolved before: a level this write
    // creates never did (and an upper level may well reference keys that
    // only the levels below it define: late binding).
    const broken = report.startsFailing.filter(f => levels.has(f.path));
    if (broken.length === 0) {
      options.onForced?.([]);
      return;
    }
    if (!options.force) throw new ConfigWriteBreaksError(options.path, broken);
    options.onForced?.(brokenPathsOf(broken));
  };
}
