import type { RequestHandler } from 'express';
import type { MountedModuleRouter } from './createRouter';

/**
 * Lets a module rewrite its own request paths before OpenAPI validation (see
 * `ArchonModuleRouter.rewritePath`): ids that span URL segments, such as
 * Marathon app ids, become one percent-encoded segment, like configuration
 * paths do in {@link configPathUrls}.
 */
export function moduleIdUrls(
  moduleRouters: MountedModuleRouter[],
): RequestHandler {
  const rewriters = moduleRouters.filter(m => m.rewritePath);
  return (req, _res, next) => {
    for (const m of rewriters) {
      const prefix = `/${m.system}/`;
      if (!req.url.startsWith(prefix)) continue;
      const query = req.url.indexOf('?');
      const path = query < 0 ? req.url : req.url.slice(0, query);
      const rewritten = m.rewritePath!(path.slice(prefix.length - 1));
      if (rewritten !== undefined) {
        req.url = `/${m.system}${rewritten}${
          query < 0 ? '' : req.url.slice(query)
        }`;
      }
      break;
    }
    next();
  };
}
