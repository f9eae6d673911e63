import { canonicalPath, isWithin } from '../model/pathId';
import { buildGroupTree, findGroup } from '../model/groupTree';
import { resolveEmbeds } from '../api/renderAppInfo';
import { GroupEmbeds, renderGroup } from '../api/renderGroup';
import { groupNotFound } from './errors';
import { boolParam, listParam } from './params';
import { Router } from './router';
import { deploymentResult, ServerContext } from './ServerContext';

function groupEmbeds(values: string[]): GroupEmbeds {
  const given = values.flatMap(v => v.split(','));
  // Without embed parameters the server embeds apps and sub-groups.
  const effective = given.length === 0 ? ['group.groups', 'group.apps'] : given;
  return {
    apps: effective.some(v => v.startsWith('group.apps')),
    groups: effective.includes('group.groups'),
    pods: effective.includes('group.pods'),
    appEmbeds: resolveEmbeds(effective),
  };
}

/** GET/DELETE /v2/groups[/{id}] (server: GroupsResource); groups are derived from app ids. */
export function registerGroupRoutes(
  router: Router,
  server: ServerContext,
): void {
  const { store, service } = server;

  router
    .add('GET', /^\/v2\/groups(?:\/(.*?))?\/versions\/?$/, context => {
      const groupId = canonicalPath(context.params[0] ?? '/');
      const tree = buildGroupTree(store.all());
      if (!findGroup(tree, groupId)) throw groupNotFound(groupId);
      const versions = new Set(
        store
          .all()
          .filter(app => isWithin(app.id, groupId))
          .flatMap(app => store.versions(app.id)),
      );
      versions.add(store.rootVersion);
      return { status: 200, body: [...versions].sort().reverse() };
    })
    .add('GET', /^\/v2\/groups(?:\/(.*))?$/, context => {
      const groupId = canonicalPath(context.params[0] ?? '/');
      const tree = buildGroupTree(store.all());
      const node = findGroup(tree, groupId);
      if (!node) throw groupNotFound(groupId);
      const body = renderGroup(
        node,
        groupEmbeds(listParam(context.query, 'embed')),
        store.rootVersion,
        server.appInfoSources(),
      );
      return { status: 200, body };
    })
    .add('DELETE', /^\/v2\/groups(?:\/(.*))?$/, context => {
      const groupId = canonicalPath(context.params[0] ?? '/');
      return deploymentResult(
        service.deleteGroup(groupId, boolParam(context.query, 'force', false)),
      );
    });
}
