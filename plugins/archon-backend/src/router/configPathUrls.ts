import type { RequestHandler } from 'express';

const CONFIG_PATH_ROUTES = /^\/(config\/(?:sets|effective|impact|history|pending))\/(.+?)(\?.*)?$/;

/**
 * Configuration paths span URL segments (`/config/sets/foo/bar/service-1`),
 * which an OpenAPI path parameter cannot. The spec therefore documents them
 * as one percent-encoded segment, and this middleware turns the readable
 * form into that one before validation, so both forms reach the same,
 * validated route.
 */
export function configPathUrls(): RequestHandler {
  return (req, _res, next) => {
    const match = CONFIG_PATH_ROUTES.exec(req.url);
    if (match && match[2].includes('/')) {
      const encoded = match[2]
        .split('/')
        .map(segment => encodeURIComponent(decodeURIComponentSafe(segment)))
        .join('%2F');
      req.url = `/${match[1]}/${encoded}${match[3] ?? ''}`;
    }
    next();
  };
}

function decodeURIComponentSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Leave malformed escapes as they are; path validation reports them.
    return segment;
  }
}
