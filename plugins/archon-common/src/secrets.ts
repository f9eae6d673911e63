/*
 * Which configuration keys are secret, decided in one place for every part of
 * archon (the config API, deploy rendering, Kafka Connect configs, Marathon env,
 * the scaffolder's logs, the portal). A key is secret when its name contains
 * one of the patterns, case-insensitively; operators extend the list with
 * `archon.secrets.keyPatterns`, and every module reads that same setting
 * through {@link readSecretKeyPatterns}.
 */

/** What replaces a secret value in anything shown to people. */
export const SECRET_MASK = '********';

/** Substrings that make a key secret, matched case-insensitively. */
export const DEFAULT_SECRET_KEY_PATTERNS: readonly string[] = [
  'password',
  'secret',
  'token',
  'credential',
];

/** True when the key contains any of the patterns, ignoring case. */
export function isSecretKey(
  key: string,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): boolean {
  const lower = key.toLowerCase();
  return patterns.some(pattern => lower.includes(pattern.toLowerCase()));
}

/**
 * The configured patterns (`archon.secrets.keyPatterns`) or the defaults.
 * Takes anything with Backstage's `getOptionalStringArray`, so it works with
 * the backend's root config without this isomorphic package depending on it.
 */
export function readSecretKeyPatterns(config: {
  getOptionalStringArray(key: string): string[] | undefined;
}): readonly string[] {
  return (
    config.getOptionalStringArray('archon.secrets.keyPatterns') ??
    DEFAULT_SECRET_KEY_PATTERNS
  );
}

/** A copy of a flat key → value map with the values of secret keys masked. */
export function maskSecretValues<T>(
  values: Readonly<Record<string, T>>,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): Record<string, T | string> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      isSecretKey(key, patterns) ? SECRET_MASK : value,
    ]),
  );
}
