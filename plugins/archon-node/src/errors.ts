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

/**
 * A change is refused because another one is still being carried out on the
 * same workload (HTTP 409). `deployments` names what holds it: archon's own
 * deploy ids and/or the orchestrator's deployment ids, so the caller can
 * watch or cancel that one.
 */
export class DeploymentInProgressError extends CustomErrorBase {
  name = 'DeploymentInProgressError' as const;
  readonly statusCode = 409;
  readonly deployments: Array<{ id: string; source: string }>;

  constructor(
    message: string,
    deployments: Array<{ id: string; source: string }>,
    cause?: Error,
  ) {
    super(message, cause);
    this.deployments = deployments;
  }
}

/** A system archon talks to did not answer in time (HTTP 504); the message names it. */
export class UpstreamTimeoutError extends CustomErrorBase {
  name = 'UpstreamTimeoutError' as const;
  readonly statusCode = 504;
}
