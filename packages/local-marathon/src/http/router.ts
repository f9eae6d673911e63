import { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: URLSearchParams;
  /** Regex capture groups of the route, URL-decoded. */
  params: string[];
  /** Reads the body as text. */
  text(): Promise<string>;
  /** Reads and parses a JSON body, failing like the server on bad input. */
  json(): Promise<unknown>;
}

/** A JSON (or text) response; `handled` means the handler wrote the response itself. */
export type RouteResult =
  | {
      status: number;
      body?: unknown;
      text?: string;
      contentType?: string;
      headers?: Record<string, string>;
    }
  | 'handled';

export type RouteHandler = (
  context: RequestContext,
) => Promise<RouteResult> | RouteResult;

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: string[] }
  | { kind: 'methodNotAllowed' }
  | { kind: 'notFound' };

/**
 * Regex routes, tried in registration order. App ids contain slashes, so routes such as
 * `/v2/apps/(.+)/restart` must be registered before the catch-all `/v2/apps/(.+)`.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: RegExp, handler: RouteHandler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (
        route.method === method ||
        (method === 'HEAD' && route.method === 'GET')
      ) {
        return {
          kind: 'found',
          handler: route.handler,
          params: match
            .slice(1)
            .map(value =>
              value === undefined ? '' : decodeURIComponent(value),
            ),
        };
      }
    }
    return pathMatched ? { kind: 'methodNotAllowed' } : { kind: 'notFound' };
  }
}
