import { ancestorsOf } from './ConfigPath';
import { ConfigResolutionError } from './ConfigResolutionError';
import type { ConfigResolver } from './ConfigResolver';
import type {
  ConfigLevel,
  ConfigResolutionOutcome,
  ConfigTreeSnapshot,
  EffectiveConfig,
} from './types';

interface Entry {
  /** The path's chain (its ancestors and itself) as it was resolved. */
  chain: string[];
  /** The level objects of the chain at that time (undefined where none existed). */
  levels: Array<ConfigLevel | undefined>;
  outcome: ConfigResolutionOutcome;
}

/** Default bound on remembered paths per snapshot (oldest forgotten first). */
export const DEFAULT_RESOLUTION_CACHE_ENTRIES = 4096;

/**
 * Remembers {@link ConfigResolver} outcomes per path for as long as the
 * levels on the path's chain are the same objects. The configuration cache
 * replaces a level's object whenever a watch, a write or a reload changes it
 * (never edits one in place), so "same objects" is "same tree version" for
 * this path, and a change anywhere up the chain is seen on the next read
 * without any invalidation call to forget.
 *
 * Outcomes are frozen: they are shared between callers, and a caller that
 * edited one would change what every later reader gets.
 */
export class ResolutionCache {
  readonly #resolver: ConfigResolver;
  readonly #maxEntries: number;
  readonly #bySnapshot = new WeakMap<ConfigTreeSnapshot, Map<string, Entry>>();

  constructor(
    resolver: ConfigResolver,
    maxEntries = DEFAULT_RESOLUTION_CACHE_ENTRIES,
  ) {
    this.#resolver = resolver;
    this.#maxEntries = maxEntries;
  }

  /** {@link ConfigResolver.tryResolve}, answered from memory while the chain is unchanged. */
  tryResolve(
    snapshot: ConfigTreeSnapshot,
    path: string,
  ): ConfigResolutionOutcome {
    let entries = this.#bySnapshot.get(snapshot);
    const known = entries?.get(path);
    if (
      known &&
      known.chain.every((p, i) => snapshot.get(p) === known.levels[i])
    )
      return known.outcome;
    // Resolve first: it validates the path (an invalid one throws, and is never remembered).
    const outcome = deepFreeze(this.#resolver.tryResolve(snapshot, path));
    const chain = ancestorsOf(path);
    if (!entries) {
      entries = new Map();
      this.#bySnapshot.set(snapshot, entries);
    }
    entries.delete(path);
    if (entries.size >= this.#maxEntries) {
      entries.delete(entries.keys().next().value!);
    }
    entries.set(path, {
      chain,
      levels: chain.map(p => snapshot.get(p)),
      outcome,
    });
    return outcome;
  }

  /** {@link ConfigResolver.resolve}, answered from memory while the chain is unchanged. */
  resolve(snapshot: ConfigTreeSnapshot, path: string): EffectiveConfig {
    const outcome = this.tryResolve(snapshot, path);
    if (!outcome.ok) throw new ConfigResolutionError(outcome.failure);
    return outcome.config;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
