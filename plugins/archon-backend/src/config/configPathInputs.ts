import { InputError } from '@backstage/errors';
import type { RequestHandler } from 'express';
import { parseConfigPath } from './core';

/**
 * Query parameters that hold a configuration path on some routes only (their
 * name means something else elsewhere); `allowRoot` where `/` (the whole
 * tree) is a valid answer.
 */
const ROUTE_QUERY_PATHS: Array<{
  route: RegExp;
  name: string;
  allowRoot?: boolean;
}> = [
  { route: /^\/releases\/?$/, name: 'path' },
  { route: /^\/config\/tree\/?$/, name: 'prefix', allowRoot: true },
];

/** The configuration routes, after configPathUrls: group 1 is the percent-encoded path. */
const CONFIG_PATH_ROUTE =
  /^\/config\/(?:sets|effective|impact|history|pending)\/([^/]+)$/;

function decodeOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape: left to the route, which reports it.
    return undefined;
  }
}

function check(value: unknown, where: string, allowRoot = false) {
  if (value === undefined || (allowRoot && (value === '' || value === '/')))
    return;
  if (typeof value !== 'string') {
    throw new InputError(
      `${where} must be one configuration path such as /foo/bar/service-1, given once`,
    );
  }
  try {
    parseConfigPath(value);
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message}`);
  }
}

/**
 * One check, before validation and before any handler (of archon-backend or
 * of a module), of every configuration path that arrives outside the URL
 * path: the `configPath` query parameter and JSON body field wherever they
 * appear, `/releases?path=` and `/config/tree?prefix=`. A NUL, a control
 * character or any other invalid path is a 400 that says what a valid path
 * is, so no route can answer 200 (or open a stream) for a path it could
 * never hold. Path parameters are checked by the routes themselves.
 */
export function configPathInputs(): RequestHandler {
  return (req, _res, next) => {
    const path = req.path;
    // configPathUrls made the path one segment; checked here so the answer
    // names the offending segment rather than the spec's pattern.
    const inPath = CONFIG_PATH_ROUTE.exec(path);
    if (inPath) {
      const decoded = decodeOrUndefined(inPath[1]);
      if (decoded !== undefined) {
        try {
          parseConfigPath(decoded.startsWith('/') ? decoded : `/${decoded}`);
        } catch (error) {
          throw new InputError((error as Error).message);
        }
      }
    }
    check(req.query.configPath, 'The query parameter "configPath"');
    for (const { route, name, allowRoot } of ROUTE_QUERY_PATHS) {
      if (route.test(path))
        check(req.query[name], `The query parameter "${name}"`, allowRoot);
    }
    const body: unknown = req.body;
    if (
      body &&
      typeof body === 'object' &&
      !Array.isArray(body) &&
      'configPath' in body
    ) {
      check(
        (body as { configPath: unknown }).configPath,
        'The body field "configPath"',
      );
    }
    next();
  };
}
