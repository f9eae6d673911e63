import {
  ancestorsOf,
  compareConfigPaths,
  isPrefixOfUnchecked,
} from './ConfigPath';
import {
  ConfigDiff,
  diffEffectiveConfigs,
  isEmptyConfigDiff,
} from './ConfigDiff';
import { ConfigResolver } from './ConfigResolver';
import { ConfigSetLimits, validateConfigSet } from './ConfigSetValidation';
import {
  ConfigLevel,
  ConfigProperties,
  ConfigResolutionFailure,
  ConfigTreeSnapshot,
} from './types';

/** A path that resolves before and after, with a different result. */
export interface ConfigPathChange {
  path: string;
  diff: ConfigDiff;
}

/** A path that resolves today but would not after the change. */
export interface ConfigPathStartsFailing {
  path: string;
  failure: ConfigResolutionFailure;
}

/** A path that fails today but would resolve after the change. */
export interface ConfigPathStopsFailing {
  path: string;
  previousFailure: ConfigResolutionFailure;
}

/** A path that fails both before and after, for different reasons. */
export interface ConfigPathStillFailing {
  path: string;
  previousFailure: ConfigResolutionFailure;
  failure: ConfigResolutionFailure;
}

/** What writing (or deleting) one level's set would do to the paths at and below it. */
export interface ConfigImpactReport {
  levelPath: string;
  operation: 'set' | 'delete';
  /** How many paths were compared (the level and every level below it). */
  pathsAnalyzed: number;
  changed: ConfigPathChange[];
  startsFailing: ConfigPathStartsFailing[];
  stopsFailing: ConfigPathStopsFailing[];
  stillFailing: ConfigPathStillFailing[];
}

export interface ConfigImpactAnalyzerOptions {
  resolver?: ConfigResolver;
  /** Limits the proposed set is validated against. */
  limits?: ConfigSetLimits;
}

function sameProblems(
  a: ConfigResolutionFailure,
  b: ConfigResolutionFailure,
): boolean {
  return (
    a.problems.length === b.problems.length &&
    a.problems.every((problem, i) => problem.message === b.problems[i].message)
  );
}

/**
 * Previews a write before it happens: resolves every path at or below the
 * changed level against the current snapshot and against a copy with the
 * change applied, and reports what differs. Changes that arrive only through
 * `${}` chains show up because whole effective configurations are compared.
 *
 * Only paths at or below the level can be affected: a set contributes to its
 * own level and its descendants' effective configurations and to nothing
 * else.
 */
export class ConfigImpactAnalyzer {
  private readonly resolver: ConfigResolver;
  private readonly limits: ConfigSetLimits;

  constructor(options: ConfigImpactAnalyzerOptions = {}) {
    this.resolver = options.resolver ?? new ConfigResolver();
    this.limits = options.limits ?? {};
  }

  /**
   * @param proposedProperties the level's new set, or null to remove the
   *   level's set (the level and its descendants stay, inheriting from above).
   * @throws InputError when the path or the proposed set is invalid.
   */
  analyze(
    snapshot: ConfigTreeSnapshot,
    levelPath: string,
    proposedProperties: Readonly<ConfigProperties> | null,
  ): ConfigImpactReport {
    const levelPaths = ancestorsOf(levelPath);
    const proposed =
      proposedProperties === null
        ? null
        : validateConfigSet(levelPath, proposedProperties, this.limits);

    // A shallow copy of the map is enough: levels are replaced, never mutated.
    const after = new Map<string, ConfigLevel>(snapshot);
    const current = snapshot.get(levelPath);
    if (proposed) {
      for (const ancestor of levelPaths.slice(0, -1)) {
        if (!after.has(ancestor)) {
          after.set(ancestor, { properties: {}, version: 0, hasSet: false });
        }
      }
      after.set(levelPath, {
        properties: proposed,
        version: current ? current.version + 1 : 0,
        hasSet: true,
      });
    } else if (current?.hasSet) {
      after.set(levelPath, {
        properties: {},
        version: current.version + 1,
        hasSet: false,
      });
    }

    const paths = new Set<string>();
    for (const map of [snapshot, after]) {
      for (const path of map.keys()) {
        if (isPrefixOfUnchecked(levelPath, path)) paths.add(path);
      }
    }

    const report: ConfigImpactReport = {
      levelPath,
      operation: proposed ? 'set' : 'delete',
      pathsAnalyzed: paths.size,
      changed: [],
      startsFailing: [],
      stopsFailing: [],
      stillFailing: [],
    };
    for (const path of [...paths].sort(compareConfigPaths)) {
      const previous = this.resolver.tryResolve(snapshot, path);
      const next = this.resolver.tryResolve(after, path);
      if (previous.ok && next.ok) {
        const diff = diffEffectiveConfigs(previous.config, next.config);
        if (!isEmptyConfigDiff(diff)) report.changed.push({ path, diff });
      } else if (previous.ok && !next.ok) {
        report.startsFailing.push({ path, failure: next.failure });
      } else if (!previous.ok && next.ok) {
        report.stopsFailing.push({ path, previousFailure: previous.failure });
      } else if (!previous.ok && !next.ok) {
        if (!sameProblems(previous.failure, next.failure)) {
          report.stillFailing.push({
            path,
            previousFailure: previous.failure,
            failure: next.failure,
          });
        }
      }
    }
    return report;
  }
}
