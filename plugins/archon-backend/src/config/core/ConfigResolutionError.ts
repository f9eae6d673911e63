import { CustomErrorBase } from '@backstage/errors';
import { ConfigResolutionFailure } from './types';

/**
 * A path's effective configuration cannot be resolved: a `${}` reference names
 * a missing key, references form a cycle, or a reference is malformed.
 *
 * The request was well-formed but the stored configuration cannot satisfy it,
 * so the router answers 422 with `details` as the structured body.
 */
export class ConfigResolutionError extends CustomErrorBase {
  name = 'ConfigResolutionError' as const;

  /** Every problem found, not only the first. */
  readonly details: ConfigResolutionFailure;

  constructor(failure: ConfigResolutionFailure) {
    super(formatResolutionFailure(failure));
    this.details = failure;
  }

  /** Shape check that works across package copies, like the Backstage errors. */
  static is(value: unknown): value is ConfigResolutionError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { name?: unknown }).name === 'ConfigResolutionError' &&
      typeof (value as { details?: unknown }).details === 'object'
    );
  }
}

/** One line naming the path and every problem. */
export function formatResolutionFailure(
  failure: ConfigResolutionFailure,
): string {
  const count = failure.problems.length;
  const problems = failure.problems.map(p => p.message).join('; ');
  return `Cannot resolve the configuration of ${JSON.stringify(
    failure.path,
  )}: ${count} problem${count === 1 ? '' : 's'}: ${problems}`;
}
