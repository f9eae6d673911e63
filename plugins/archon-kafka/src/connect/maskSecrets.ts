/** What secret-looking config values are replaced with in API answers. */
export const MASK = '********';

const SECRET_KEY = /password|secret|token|credential/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A copy of the config with secret-looking values masked. */
export function maskConfig(config: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config ?? {})) out[k] = isSecretKey(k) && v ? MASK : v;
  return out;
}

/**
 * For updates: a secret field sent back still masked keeps its current value,
 * so a client can round-trip a config it read without knowing the secrets.
 */
export function unmaskConfig(
  next: Record<string, string>,
  current: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(next)) {
    out[k] = v === MASK && isSecretKey(k) && current?.[k] !== undefined ? current[k] : v;
  }
  return out;
}
