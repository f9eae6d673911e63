import {
  ancestorsOf,
  compareConfigPaths,
  isPrefixOfUnchecked,
  parseConfigPath,
} from './ConfigPath';
import { ConfigLevel, ConfigProperties, ConfigTreeSnapshot } from './types';

/*
 * Helpers for building and walking in-memory copies of the configuration
 * tree. A snapshot holds every level that exists; levels without a set are
 * entries with `hasSet: false` and `properties: {}`.
 */

/**
 * Builds a snapshot from sets keyed by path (null for a level that exists
 * without a set), adding every missing ancestor as a level without a set
 * (in ZooKeeper a znode's parents always exist). Versions default to 0.
 * Sets are copied, so later changes to the arguments do not leak in.
 *
 * @throws InputError when a path is invalid.
 */
export function createConfigTreeSnapshot(
  sets: Record<string, Readonly<ConfigProperties> | null> = {},
  versions: Record<string, number> = {},
): Map<string, ConfigLevel> {
  const snapshot = new Map<string, ConfigLevel>();
  for (const [path, properties] of Object.entries(sets)) {
    parseConfigPath(path);
    snapshot.set(path, {
      properties: properties ? { ...properties } : {},
      version: versions[path] ?? 0,
      hasSet: properties !== null,
    });
  }
  for (const path of [...snapshot.keys()]) {
    for (const ancestor of ancestorsOf(path)) {
      if (!snapshot.has(ancestor)) {
        snapshot.set(ancestor, {
          properties: {},
          version: versions[ancestor] ?? 0,
          hasSet: false,
        });
      }
    }
  }
  return snapshot;
}

/** Every level in the snapshot, with or without a set, parents first. */
export function listConfigPaths(snapshot: ConfigTreeSnapshot): string[] {
  return [...snapshot.keys()].sort(compareConfigPaths);
}

/** The levels that are `path` itself or below it, parents first. */
export function listConfigPathsAtOrBelow(
  snapshot: ConfigTreeSnapshot,
  path: string,
): string[] {
  parseConfigPath(path);
  return [...snapshot.keys()]
    .filter(candidate => isPrefixOfUnchecked(path, candidate))
    .sort(compareConfigPaths);
}
