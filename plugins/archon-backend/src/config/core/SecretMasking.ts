import {
  DEFAULT_SECRET_KEY_PATTERNS,
  isSecretKey,
  maskSecretValues,
  SECRET_MASK,
} from '@archon/plugin-archon-common';
import { ConfigDiff } from './ConfigDiff';
import { ConfigImpactReport } from './ConfigImpactAnalyzer';
import { transitiveReferencesOf } from './ConfigSubstitution';
import {
  ConfigProperties,
  ConfigProvenance,
  ConfigResolutionFailure,
  ConfigResolutionProblem,
  EffectiveConfig,
} from './types';

/*
 * Hides secret values in anything shown to people. Keys are judged by name:
 * a key is secret when it contains one of the patterns, case-insensitively.
 * Every function returns new objects; inputs are never changed.
 */

// The rule itself (which keys are secret, the mask) is archon-common's, shared
// with every module; this file applies it to configuration shapes.
export { DEFAULT_SECRET_KEY_PATTERNS, isSecretKey, SECRET_MASK };

/**
 * Masks the values of secret keys in a plain set. This judges keys by name
 * only; for resolved configurations prefer {@link maskEffectiveConfig}, which
 * also hides values that had a secret substituted into them.
 */
export function maskSecrets(
  properties: Readonly<ConfigProperties>,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): ConfigProperties {
  return maskSecretValues(properties, patterns);
}

/**
 * Masks the raw values (winning and shadowed) of secret keys. Raw values of
 * other keys stay visible: a `${db.password}` reference is not itself secret.
 */
export function maskProvenance(
  provenance: Readonly<Record<string, ConfigProvenance>>,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): Record<string, ConfigProvenance> {
  return Object.fromEntries(
    Object.entries(provenance).map(([key, entry]) => {
      const secret = isSecretKey(key, patterns);
      return [
        key,
        {
          definedAt: entry.definedAt,
          raw: secret ? SECRET_MASK : entry.raw,
          shadowed: entry.shadowed.map(shadowed => ({
            path: shadowed.path,
            raw: secret ? SECRET_MASK : shadowed.raw,
          })),
        },
      ];
    }),
  );
}

/**
 * Masks an effective configuration: secret keys, and also keys whose value
 * had a secret key substituted into it (e.g. `url=jdbc://u:${db.password}@h`),
 * since the resolved value then contains the secret.
 */
export function maskEffectiveConfig(
  config: EffectiveConfig,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): EffectiveConfig {
  const rawValueOf = (key: string) =>
    Object.hasOwn(config.provenance, key)
      ? config.provenance[key].raw
      : undefined;
  return {
    path: config.path,
    properties: Object.fromEntries(
      Object.entries(config.properties).map(([key, value]) => {
        const derived = transitiveReferencesOf(key, rawValueOf);
        const hide =
          isSecretKey(key, patterns) ||
          derived.some(k => isSecretKey(k, patterns));
        return [key, hide ? SECRET_MASK : value];
      }),
    ),
    provenance: maskProvenance(config.provenance, patterns),
    versions: { ...config.versions },
  };
}

function hidesValue(
  entry: { key: string; substitutedKeys: string[] },
  patterns: readonly string[],
): boolean {
  return (
    isSecretKey(entry.key, patterns) ||
    entry.substitutedKeys.some(k => isSecretKey(k, patterns))
  );
}

/** Masks values of secret keys, and of keys a secret was substituted into. */
export function maskConfigDiff(
  diff: ConfigDiff,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): ConfigDiff {
  return {
    added: diff.added.map(entry => ({
      ...entry,
      substitutedKeys: [...entry.substitutedKeys],
      value: hidesValue(entry, patterns) ? SECRET_MASK : entry.value,
    })),
    removed: diff.removed.map(entry => ({
      ...entry,
      substitutedKeys: [...entry.substitutedKeys],
      value: hidesValue(entry, patterns) ? SECRET_MASK : entry.value,
    })),
    changed: diff.changed.map(entry => {
      const hide = hidesValue(entry, patterns);
      return {
        ...entry,
        substitutedKeys: [...entry.substitutedKeys],
        from: hide ? SECRET_MASK : entry.from,
        to: hide ? SECRET_MASK : entry.to,
      };
    }),
  };
}

function maskProblem(
  problem: ConfigResolutionProblem,
  patterns: readonly string[],
): ConfigResolutionProblem {
  const where = (key: string, writtenAt: string) =>
    `key ${JSON.stringify(key)} (written at ${JSON.stringify(writtenAt)})`;
  if (
    problem.kind === 'missing-key' &&
    isSecretKey(problem.referencedBy, patterns)
  ) {
    return {
      ...problem,
      key: SECRET_MASK,
      message: `${where(
        problem.referencedBy,
        problem.writtenAt,
      )} references a key that is not defined (name hidden: the value is secret)`,
    };
  }
  if (
    problem.kind === 'invalid-reference' &&
    isSecretKey(problem.key, patterns)
  ) {
    return {
      ...problem,
      reference: SECRET_MASK,
      message: `${where(
        problem.key,
        problem.writtenAt,
      )} has an invalid reference at offset ${
        problem.offset
      } (text hidden: the value is secret)`,
    };
  }
  return problem;
}

/**
 * Masks the parts of a resolution failure that come from a secret value: a
 * secret that happens to contain `${...}` is parsed as a reference, and the
 * missing key's name or the invalid reference's text would leak a piece of
 * it. Build 422 bodies from the masked copy.
 */
export function maskResolutionFailure(
  failure: ConfigResolutionFailure,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): ConfigResolutionFailure {
  return {
    path: failure.path,
    problems: failure.problems.map(problem => maskProblem(problem, patterns)),
    unresolvedKeys: [...failure.unresolvedKeys],
    versions: { ...failure.versions },
  };
}

/** Masks the diffs and failures of an impact report. */
export function maskImpactReport(
  report: ConfigImpactReport,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): ConfigImpactReport {
  return {
    ...report,
    changed: report.changed.map(change => ({
      path: change.path,
      diff: maskConfigDiff(change.diff, patterns),
    })),
    startsFailing: report.startsFailing.map(entry => ({
      path: entry.path,
      failure: maskResolutionFailure(entry.failure, patterns),
    })),
    stopsFailing: report.stopsFailing.map(entry => ({
      path: entry.path,
      previousFailure: maskResolutionFailure(entry.previousFailure, patterns),
    })),
    stillFailing: report.stillFailing.map(entry => ({
      path: entry.path,
      previousFailure: maskResolutionFailure(entry.previousFailure, patterns),
      failure: maskResolutionFailure(entry.failure, patterns),
    })),
  };
}
