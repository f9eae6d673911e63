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
    } else if (databaseUnavailable(error)) {
      // archon's own database frozen or gone: the driver's timeouts
      // (backend.database.connection.query_timeout, knexConfig
      // .acquireConnectionTimeout) end the wait; the SQL stays out of it.
      const { status, reason } = databaseUnavailable(error)!;
      statusCode = status;
      res.status(statusCode).json({
        error: {
          name:
            status === 504 ? 'UpstreamTimeoutError' : 'ServiceUnavailableError',
          message: `archon's database ${
            status === 504 ? 'did not answer in time' : 'is not reachable'
          } (${reason}); retry later`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode },
      });
      return;
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

/** Driver and pool errors that mean the database is away, with the status to answer. */
function databaseUnavailable(
  error: unknown,
): { status: 503 | 504; reason: string } | undefined {
  const e = error as
    | { name?: string; message?: string; code?: string }
    | undefined;
  const message = e?.message ?? '';
  if (/Query read timeout/.test(message))
    return { status: 504, reason: 'query read timeout' };
  if (e?.name === 'KnexTimeoutError')
    return { status: 503, reason: 'no connection from the pool in time' };
  if (
    /Connection terminated|timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(
      message,
    )
  ) {
    return { status: 503, reason: 'the connection failed' };
  }
  // PostgreSQL shutting down or restarting (admin_shutdown, crash_shutdown, cannot_connect_now).
  if (e?.code && ['57P01', '57P02', '57P03'].includes(e.code))
    return { status: 503, reason: `PostgreSQL ${e.code}` };
  return undefined;
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
        message: `The request body is larger than the ${Math.round(
          limit / 1024,
        )} KiB archon accepts; send less (a configuration set must fit a 1 MB znode)`,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 413 },
    });
  };
}
