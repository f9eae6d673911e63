import type { ConfigResolver } from './ConfigResolver';
import { ancestorsOf } from './ConfigPath';
import type {
  ConfigResolutionFailure,
  ConfigTreeSnapshot,
  MissingKeyProblem,
} from './types';

/**
 * Whether a level resolves, in the words the tree, the Configuration page's
 * `?failing=true` list and the Home count share:
 * - `resolves`: its effective configuration resolves;
 * - `open`: a template for the levels below it. Its only problems are
 *   `${key}` references to keys no level up its chain defines, and it is
 *   neither a leaf nor a path deployed from. A reference binds to a value
 *   defined anywhere up the chain of the path being resolved, so an upper
 *   level may reference a key only each deeper level defines; every path
 *   below resolves the reference itself, and is `failing` if it cannot;
 * - `failing`: it does not resolve and that breaks what apps resolve: it is
 *   a leaf (no level below it holds a set), a path deployed from, or its
 *   problem is not a key left for deeper levels (a cycle, a value too
 *   large, bad syntax), which no deeper level can repair.
 * See docs/pheidippides.md ("Levels that do not resolve").
 */
export type LevelResolution =
  | { state: 'resolves' }
  | {
      state: 'open';
      /** The keys referenced and left for deeper levels to define. */
      openKeys: string[];
      failure: ConfigResolutionFailure;
    }
  | { state: 'failing'; failure: ConfigResolutionFailure };

/** The levels with a deeper level holding a set, i.e. the levels that are not leaves. */
export function levelsWithDeeperSets(levels: ConfigTreeSnapshot): Set<string> {
  const inner = new Set<string>();
  for (const [path, level] of levels) {
    if (!level.hasSet) continue;
    // ancestorsOf ends with the path itself, which is not its own ancestor.
    for (const ancestor of ancestorsOf(path).slice(0, -1)) inner.add(ancestor);
  }
  return inner;
}

/**
 * The one rule, ready for many levels of one snapshot (the leaves are found
 * once). `deployed` holds the paths apps were deployed from (those with a
 * deployed release).
 */
export function levelClassifier(
  resolver: Pick<ConfigResolver, 'tryResolve'>,
  levels: ConfigTreeSnapshot,
  deployed: ReadonlySet<string>,
): (path: string) => LevelResolution {
  const inner = levelsWithDeeperSets(levels);
  return path => {
    const outcome = resolver.tryResolve(levels, path);
    if (outcome.ok) return { state: 'resolves' };
    const { failure } = outcome;
    const onlyMissing = failure.problems.every(p => p.kind === 'missing-key');
    if (!onlyMissing || !inner.has(path) || deployed.has(path)) {
      return { state: 'failing', failure };
    }
    const openKeys = [
      ...new Set((failure.problems as MissingKeyProblem[]).map(p => p.key)),
    ].sort();
    return { state: 'open', openKeys, failure };
  };
}

/** The sentence the tree shows for an open level. */
export function openLevelReason(resolution: {
  openKeys: string[];
  failure: ConfigResolutionFailure;
}): string {
  const refs = resolution.openKeys.map(k => `\${${k}}`).join(', ');
  return `leaves ${refs} for the levels below to define (used by ${resolution.failure.unresolvedKeys.join(
    ', ',
  )}); each path below resolves it itself`;
}
