import type { ErrorRequestHandler } from 'express';

/**
 * Backstage's error handler knows no 422, so errors that mean "understood
 * but cannot be done" are answered here, in Backstage's error body shape
 * plus the `details` that say what to fix. Everything else passes on.
 */
export function unprocessableErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const name = (error as { name?: string })?.name;
    if (name !== 'UnprocessableError' && name !== 'ConfigResolutionError') {
      next(error);
      return;
    }
    res.status(422).json({
      error: {
        name,
        message: (error as Error).message,
        details: (error as { details?: unknown }).details,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 422 },
    });
  };
}
