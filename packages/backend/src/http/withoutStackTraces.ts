import type { RequestHandler } from 'express';

/**
 * Drops `error.stack` from every error answer (status >= 400) of every
 * plugin. Backstage's error handlers include the stack whenever NODE_ENV is
 * `development`, and each plugin router has its own handler, so no single
 * option turns them off; the embedded profile runs the built portal in
 * development mode (for the CLI's sign-in on http://localhost). Answers are
 * for callers; stacks stay in the log.
 */
export function withoutStackTraces(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (res.statusCode >= 400 && hasErrorStack(body)) {
        const { stack: _stack, ...error } = body.error;
        return json({ ...body, error });
      }
      return json(body);
    };
    next();
  };
}

function hasErrorStack(
  body: unknown,
): body is { error: { stack?: unknown } & Record<string, unknown> } {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'object' && error !== null && 'stack' in error;
}
