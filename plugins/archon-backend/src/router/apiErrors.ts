import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ErrorRequestHandler,
  Request,
  RequestHandler,
  Response,
} from 'express';

/*
 * One error shape for every non-2xx answer under /api/archon — Backstage's
 * `{ error: { name, message }, request: { method, url }, response: { statusCode } }`,
 * plus `details` where a handler has field-level problems — and never a stack
 * trace, an internal path or an echoed request body, whatever mode the backend
 * runs in. Backstage's own error handler shows stack traces in development and
 * answers unknown routes with an empty 404; archon's router ends with these
 * handlers so neither reaches an archon client.
 */

/** Writes the one error body. `extra` adds fields to `error` (e.g. `details`). */
export function sendApiError(
  req: Request,
  res: Response,
  statusCode: number,
  error: { name: string; message: string } & Record<string, unknown>,
): void {
  res.status(statusCode).json({
    error,
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode },
  });
}

interface SpecPaths {
  paths: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** `/kafka/{cluster}/topics/{topic}` → a regex matching one segment per parameter. */
function templateRegex(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map(part => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Last in archon's router: a request that no route answered. A path the spec
 * knows with another method is a 405 with `Allow`; anything else is a 404
 * that says so, in the one error shape.
 */
export function unmatchedRoutes(spec: SpecPaths): RequestHandler {
  const routes = Object.entries(spec.paths).map(([template, item]) => ({
    template,
    regex: templateRegex(template),
    methods: Object.keys(item)
      .filter(m => HTTP_METHODS.includes(m))
      .map(m => m.toUpperCase()),
  }));
  return (req, res, next) => {
    const path = req.path;
    // Backstage's own plugin-level routes (permissions integration, auth) are not archon's to answer.
    if (path.startsWith('/.well-known/') || path.startsWith('/.backstage/')) {
      next();
      return;
    }
    const matching = routes.filter(r => r.regex.test(path));
    const allowed = [...new Set(matching.flatMap(r => r.methods))];
    if (matching.length > 0 && !allowed.includes(req.method)) {
      res.setHeader('Allow', allowed.join(', '));
      sendApiError(req, res, 405, {
        name: 'MethodNotAllowedError',
        message: `${req.method} is not allowed on ${
          matching[0].template
        }; use ${allowed.join(', ')}`,
      });
      return;
    }
    sendApiError(req, res, 404, {
      name: 'NotFoundError',
      message:
        matching.length > 0
          ? `Nothing serves ${req.method} ${path} here (is the module for this system installed?)`
          : `archon has no route ${req.method} ${path}; the routes are listed in /api/archon/openapi.json`,
    });
  };
}

/**
 * body-parser's parse failures as a 400 that says what is wrong with the body
 * without echoing it (its own error carries the body and parser internals).
 */
export function malformedBodyHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    if ((error as { type?: string })?.type !== 'entity.parse.failed') {
      next(error);
      return;
    }
    const raw = String((error as { body?: unknown }).body ?? '').trim();
    // express.json (strict) only takes objects and arrays: say so for a bare value.
    const bare = /^(null|true|false|-?\d|")/.test(raw);
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    sendApiError(req, res, 400, {
      name: 'InputError',
      message: bare
        ? `the body must be a JSON object, not ${
            raw.startsWith('"') ? 'a string' : raw.split(/\s/)[0]
          }`
        : `the body is not valid JSON${
            position !== undefined ? ` (at position ${position})` : ''
          }: check the Content-Type and the body`,
    });
  };
}

/** The status Backstage's error handler gives each of @backstage/errors' classes. */
const STATUS_BY_NAME: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

function statusOf(error: unknown): number {
  for (const field of ['statusCode', 'status'] as const) {
    const value = (error as Record<string, unknown> | undefined)?.[field];
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 400 &&
      value <= 599
    )
      return value;
  }
  return STATUS_BY_NAME[(error as { name?: string })?.name ?? ''] ?? 500;
}

/**
 * Last error handler: every error that archon's more specific handlers passed
 * on, in the one shape. A 5xx is logged with its stack here (for operators),
 * and answered with its message only.
 */
export function finalErrorHandler(logger?: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const statusCode = statusOf(error);
    const name = (error as { name?: string })?.name || 'Error';
    const message = (error as { message?: string })?.message || String(error);
    if (statusCode >= 500) {
      logger?.error(
        `${req.method} ${req.originalUrl} failed: ${message}`,
        error instanceof Error ? error : undefined,
      );
    }
    const details = (error as { details?: unknown })?.details;
    sendApiError(req, res, statusCode, {
      name,
      message,
      ...(Array.isArray(details) ? { details } : {}),
    });
  };
}
