import type { RequestHandler } from 'express';

/**
 * A route whose last path parameter spans URL segments. `pattern` matches
 * the URL; group 1 is the route's fixed part (without the leading slash),
 * group 2 the multi-segment rest (may be absent), group 3 the query string.
 */
export interface MultiSegmentRoute {
  pattern: RegExp;
  /** What an absent or empty rest becomes (e.g. `%2F` for the ZooKeeper root); left alone when unset. */
  empty?: string;
}

const CONFIG_PATH_ROUTE: MultiSegmentRoute = {
  pattern:
    /^\/(config\/(?:sets|effective|impact|history|pending))\/(.+?)(\?.*)?$/,
};

/**
 * Paths such as configuration paths (`/config/sets/foo/bar/service-1`) and
 * znode paths span URL segments, which an OpenAPI path parameter cannot. The
 * spec therefore documents them as one percent-encoded segment, and this
 * middleware turns the readable form into that one before validation, so
 * both forms reach the same, validated route. Each segment is decoded on
 * its own and re-encoded, joined by `%2F`.
 */
export function multiSegmentPathUrls(
  routes: MultiSegmentRoute[],
): RequestHandler {
  return (req, _res, next) => {
    for (const route of routes) {
      const match = route.pattern.exec(req.url);
      if (!match) continue;
      const rest = match[2] ?? '';
      if (rest === '' && route.empty !== undefined) {
        req.url = `/${match[1]}/${route.empty}${match[3] ?? ''}`;
      } else if (rest.includes('/')) {
        req.url = `/${match[1]}/${encodeSegments(rest)}${match[3] ?? ''}`;
      }
      break;
    }
    next();
  };
}

/** `POST /config/sets/foo/bar/restore`: only POST, since `restore` is also a valid level name. */
const RESTORE_ROUTE = /^\/config\/sets\/(.+?)\/restore(\?.*)?$/;

/** The configuration routes' multi-segment paths. */
export function configPathUrls(): RequestHandler {
  const paths = multiSegmentPathUrls([CONFIG_PATH_ROUTE]);
  return (req, res, next) => {
    const restore = req.method === 'POST' ? RESTORE_ROUTE.exec(req.url) : null;
    if (restore) {
      req.url = `/config/sets/${encodeSegments(restore[1])}/restore${
        restore[2] ?? ''
      }`;
      next();
      return;
    }
    paths(req, res, next);
  };
}

function encodeSegments(rest: string): string {
  return rest
    .split('/')
    .map(segment => encodeURIComponent(decodeURIComponentSafe(segment)))
    .join('%2F');
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Leave malformed escapes as they are; path validation reports them.
    return segment;
  }
}
