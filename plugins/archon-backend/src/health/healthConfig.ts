import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `archon.health.intervalSeconds` when not set. */
export const DEFAULT_HEALTH_INTERVAL_SECONDS = 10;

/** `archon.health.intervalSeconds` in ms (fractions allowed, for tests); a bad value fails start-up. */
export function readHealthIntervalMs(config: Config): number {
  const seconds =
    config.getOptionalNumber('archon.health.intervalSeconds') ??
    DEFAULT_HEALTH_INTERVAL_SECONDS;
  if (!(seconds >= 0.1 && seconds <= 3600)) {
    throw new InputError(
      `archon.health.intervalSeconds must be a number of seconds from 0.1 to 3600, not ${seconds}`,
    );
  }
  return Math.round(seconds * 1000);
}
