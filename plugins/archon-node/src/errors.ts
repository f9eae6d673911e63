import { CustomErrorBase } from '@backstage/errors';

/**
 * The request was well-formed but cannot be carried out as asked (HTTP 422):
 * a configuration that fails to resolve, a connector config that Connect's
 * validation rejects, an app definition Marathon refuses. `details` carries
 * the field-level reasons so callers can show them next to the fields.
 */
export class UnprocessableError extends CustomErrorBase {
  name = 'UnprocessableError' as const;
  readonly details: unknown;

  constructor(message: string, details?: unknown, cause?: Error) {
    super(message, cause);
    this.details = details;
  }
}
