/** What may follow an app id under `/{instance}/apps/{appId}`. */
const SUFFIXES = [
  /^tasks$/,
  /^tasks\/[^/]+$/,
  /^tasks\/[^/]+\/logs$/,
  /^versions$/,
  /^versions\/[^/]+$/,
  /^versions\/[^/]+\/diff$/,
  /^queue$/,
  /^queue\/delay$/,
  /^events$/,
  // The actions on an app archon did not deploy (`restart` Marathon reserves).
  /^(scale|restart|suspend|destroy)$/,
];

/**
 * Marathon app ids span URL segments (`/apps/foo/bar/service-1/tasks`); the
 * OpenAPI spec has them as one percent-encoded segment. This finds where the
 * id ends (the first split after which a known sub-resource follows; Marathon
 * itself reserves `tasks`, `versions` and `restart` as last id segments for
 * the same reason) and encodes it. Ids with a segment named `queue`,
 * `events`, `scale`, `suspend` or `destroy` must be sent encoded.
 */
export function rewriteMarathonPath(path: string): string | undefined {
  const match = /^\/([^/]+)\/apps\/(.+?)\/?$/.exec(path);
  if (!match) return undefined;
  const segments = match[2].split('/');
  if (segments.length === 1) return undefined;
  let end = segments.length;
  for (let i = 1; i < segments.length; i++) {
    if (SUFFIXES.some(suffix => suffix.test(segments.slice(i).join('/')))) {
      end = i;
      break;
    }
  }
  if (end === 1) return undefined;
  const appId = segments.slice(0, end).join('%2F');
  const rest = segments.slice(end);
  return `/${match[1]}/apps/${appId}${rest.length ? `/${rest.join('/')}` : ''}`;
}
