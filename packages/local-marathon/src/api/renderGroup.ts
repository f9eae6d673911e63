import { GroupNode } from '../model/groupTree';
import { JsonObject } from '../util/json';
import { AppEmbed, AppInfoSources, renderAppInfo } from './renderAppInfo';

export interface GroupEmbeds {
  apps: boolean;
  groups: boolean;
  pods: boolean;
  appEmbeds: Set<AppEmbed>;
}

/**
 * `raml.GroupInfo`. Groups are derived from app ids, so every group reports the root
 * version (the time of the last change) and no dependencies; `enforceRole` is false
 * (the server's default for implicitly created groups).
 */
export function renderGroup(
  node: GroupNode,
  embeds: GroupEmbeds,
  version: string,
  sources: AppInfoSources,
): JsonObject {
  return {
    id: node.id,
    apps: embeds.apps
      ? node.apps.map(app => renderAppInfo(app, embeds.appEmbeds, sources))
      : [],
    groups: embeds.groups
      ? node.groups.map(child => renderGroup(child, embeds, version, sources))
      : [],
    pods: [],
    dependencies: [],
    version,
    enforceRole: false,
  };
}
