import type { ErrorRequestHandler } from 'express';

/**
 * Answers the errors whose bodies must say more than Backstage's error
 * handler lets them: 422 (understood but cannot be done) with the details of
 * what to fix, and 409 on a stale version with the current state to merge
 * with. Same body shape as Backstage's, plus those fields. Everything else
 * passes on to Backstage's handler.
 */
export function archonErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const name = (error as { name?: string })?.name;
    let statusCode: number;
    let extra: Record<string, unknown>;
    if (name === 'UnprocessableError' || name === 'ConfigResolutionError') {
      statusCode = 422;
      extra = { details: (error as { details?: unknown }).details };
    } else if (name === 'ConfigVersionConflictError') {
      statusCode = 409;
      extra = { current: (error as { current?: unknown }).current };
    } else if (name === 'ZooKeeperConflictError') {
      statusCode = 409;
      extra = {
        current: (error as { current?: unknown }).current,
        details: (error as { details?: unknown }).details,
      };
    } else if (name === 'DeploymentInProgressError') {
      // A deploy refused because another change holds the app: which one.
      statusCode = 409;
      extra = { deployments: (error as { deployments?: unknown }).deployments };
    } else if (name === 'UpstreamTimeoutError') {
      statusCode = 504;
      extra = {};
    } else {
      next(error);
      return;
    }
    res.status(statusCode).json({
      error: { name, message: (error as Error).message, ...extra },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    });
  };
}

/** Turns body-parser's "entity too large" into a 413 that says the limit. */
export function bodyTooLargeHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if ((error as { type?: string })?.type !== 'entity.too.large') {
      next(error);
      return;
    }
    const limit = (error as { limit?: number }).limit ?? 0;
    res.status(413).json({
      error: {
        name: 'PayloadTooLargeError',
        message: `The request body is larger than the ${Math.round(limit / 1024)} KiB archon accepts; send less (a configuration set must fit a 1 MB znode)`,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 413 },
    });
  };
}
