import {
  DEFAULT_SECRET_KEY_PATTERNS,
  isSecretKey,
  SECRET_MASK,
} from '@archon/plugin-archon-common';

// Which keys are secret is archon-common's rule (configured by
// `archon.secrets.keyPatterns`); this file only applies it to connector configs.

/** A copy of the config with the values of secret keys masked (empty values stay empty). */
export function maskConfig(
  config: Record<string, string> | undefined,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config ?? {}))
    out[k] = isSecretKey(k, patterns) && v ? SECRET_MASK : v;
  return out;
}

/**
 * For updates: a secret field sent back still masked keeps its current value,
 * so a client can round-trip a config it read without knowing the secrets.
 */
export function unmaskConfig(
  next: Record<string, string>,
  current: Record<string, string> | undefined,
  patterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(next)) {
    out[k] =
      v === SECRET_MASK &&
      isSecretKey(k, patterns) &&
      current?.[k] !== undefined
        ? current[k]
        : v;
  }
  return out;
}
