import { transitiveReferencesOf } from './ConfigSubstitution';
import { EffectiveConfig } from './types';

/** The parts of an effective configuration a diff looks at. */
export type DiffableConfig = Pick<EffectiveConfig, 'properties' | 'provenance'>;

export interface ConfigDiffAdded {
  key: string;
  value: string;
  definedAt: string;
  /**
   * Keys substituted into the value, directly or through chains, sorted.
   * Tells a change that arrives through `${}` apart from a direct edit, and
   * lets masking hide values derived from secrets.
   */
  substitutedKeys: string[];
}

export interface ConfigDiffRemoved {
  key: string;
  value: string;
  definedAt: string;
  substitutedKeys: string[];
}

export interface ConfigDiffChanged {
  key: string;
  from: string;
  to: string;
  /** Where the new value is defined. */
  definedAt: string;
  /** Where the old value was defined. */
  previousDefinedAt: string;
  /** Union of the keys substituted before and after, sorted. */
  substitutedKeys: string[];
}

/** Key-by-key differences between two effective configurations, each list sorted by key. */
export interface ConfigDiff {
  added: ConfigDiffAdded[];
  removed: ConfigDiffRemoved[];
  changed: ConfigDiffChanged[];
}

function referencesIn(config: DiffableConfig, key: string): string[] {
  return transitiveReferencesOf(key, k =>
    Object.hasOwn(config.provenance, k) ? config.provenance[k].raw : undefined,
  );
}

function byKey(a: { key: string }, b: { key: string }): number {
  if (a.key === b.key) return 0;
  return a.key < b.key ? -1 : 1;
}

/**
 * Compares the resolved values of two effective configurations. Only value
 * changes count: a key whose definition moved to another level but whose
 * resolved value is unchanged is not reported, because applications cannot
 * observe it (provenance shows where it lives now).
 */
export function diffEffectiveConfigs(
  before: DiffableConfig,
  after: DiffableConfig,
): ConfigDiff {
  const diff: ConfigDiff = { added: [], removed: [], changed: [] };
  for (const [key, to] of Object.entries(after.properties)) {
    if (!Object.hasOwn(before.properties, key)) {
      diff.added.push({
        key,
        value: to,
        definedAt: after.provenance[key].definedAt,
        substitutedKeys: referencesIn(after, key),
      });
      continue;
    }
    const from = before.properties[key];
    if (from !== to) {
      const substitutedKeys = new Set([
        ...referencesIn(before, key),
        ...referencesIn(after, key),
      ]);
      diff.changed.push({
        key,
        from,
        to,
        definedAt: after.provenance[key].definedAt,
        previousDefinedAt: before.provenance[key].definedAt,
        substitutedKeys: [...substitutedKeys].sort(),
      });
    }
  }
  for (const [key, value] of Object.entries(before.properties)) {
    if (!Object.hasOwn(after.properties, key)) {
      diff.removed.push({
        key,
        value,
        definedAt: before.provenance[key].definedAt,
        substitutedKeys: referencesIn(before, key),
      });
    }
  }
  diff.added.sort(byKey);
  diff.removed.sort(byKey);
  diff.changed.sort(byKey);
  return diff;
}

/** True when the diff lists nothing. */
export function isEmptyConfigDiff(diff: ConfigDiff): boolean {
  return (
    diff.added.length === 0 &&
    diff.removed.length === 0 &&
    diff.changed.length === 0
  );
}
