import { InputError } from '@backstage/errors';

// The same rules archon's API applies (ConfigPath.ts in archon-backend; topic
// names: archon-common's validateTopicName), checked here so a bad form value fails before
// anything is written.
const CONFIG_SEGMENT = /^[A-Za-z0-9_-]+$/;
const PROPERTY_KEY = /^[A-Za-z0-9._-]+$/;

/** `/a/b/c` (or `a/b/c`) → `a/b/c`; throws InputError naming the bad segment. */
export function normalizeConfigPath(input: string): string {
  const trimmed = input.trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) {
    throw new InputError(`configuration path "${input}" is empty`);
  }
  for (const segment of trimmed.split('/')) {
    if (!CONFIG_SEGMENT.test(segment)) {
      throw new InputError(
        `configuration path "${input}": segment "${segment}" must be one or more of A-Z a-z 0-9 _ -`,
      );
    }
  }
  return trimmed;
}

export function validatePropertyKeys(keys: string[]): void {
  const bad = keys.filter(key => !PROPERTY_KEY.test(key));
  if (bad.length) {
    throw new InputError(
      `property keys must be one or more of A-Z a-z 0-9 . _ -: ${bad
        .map(k => JSON.stringify(k))
        .join(', ')}`,
    );
  }
}
