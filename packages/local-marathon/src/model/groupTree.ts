import { AppDefinition } from './types';
import { isWithin, parentOf, ROOT, segmentsOf } from './pathId';

/**
 * Groups are not stored: they are derived from app ids. `/prod/web/nginx` implies the
 * groups `/prod` and `/prod/web`; a group exists while it contains at least one app.
 */
export interface GroupNode {
  id: string;
  apps: AppDefinition[];
  groups: GroupNode[];
}

export function buildGroupTree(apps: AppDefinition[]): GroupNode {
  const root: GroupNode = { id: ROOT, apps: [], groups: [] };
  const groups = new Map<string, GroupNode>([[ROOT, root]]);
  const ensure = (id: string): GroupNode => {
    const existing = groups.get(id);
    if (existing) return existing;
    const node: GroupNode = { id, apps: [], groups: [] };
    groups.set(id, node);
    ensure(parentOf(id)).groups.push(node);
    return node;
  };
  for (const app of [...apps].sort((a, b) => a.id.localeCompare(b.id))) {
    ensure(parentOf(app.id)).apps.push(app);
  }
  const sort = (node: GroupNode) => {
    node.groups.sort((a, b) => a.id.localeCompare(b.id));
    node.groups.forEach(sort);
  };
  sort(root);
  return root;
}

export function findGroup(
  root: GroupNode,
  groupId: string,
): GroupNode | undefined {
  if (groupId === root.id) return root;
  for (const child of root.groups) {
    if (isWithin(groupId, child.id)) return findGroup(child, groupId);
  }
  return undefined;
}

export function appsUnder(
  apps: AppDefinition[],
  groupId: string,
): AppDefinition[] {
  return apps.filter(app => isWithin(app.id, groupId) && app.id !== groupId);
}

/** An app id must not be a group (have apps below it) or lie below another app. */
export function clashesWithGroups(
  appId: string,
  apps: AppDefinition[],
): boolean {
  const others = apps.filter(app => app.id !== appId);
  const isGroup = others.some(app => isWithin(app.id, appId));
  const segments = segmentsOf(appId);
  const underApp = segments
    .slice(0, -1)
    .map((_, index) => `/${segments.slice(0, index + 1).join('/')}`)
    .some(ancestor => others.some(app => app.id === ancestor));
  return isGroup || underApp;
}
