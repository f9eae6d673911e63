import { InputError } from '@backstage/errors';
import zookeeper from 'node-zookeeper-client';
import { mapLimit } from './concurrency';
import {
  type ZnodeAclView,
  type ZnodeChildrenPage,
  type ZnodePermission,
  type ZnodeView,
} from './explorerTypes';
import { ZnodeAccess } from './ZnodeAccess';
import { describeZnodeData, statView } from './znodeData';
import {
  compareNames,
  isAtOrBelow,
  joinZnode,
  validateZnodePath,
} from './znodePath';

/** ZooKeeper's permission bits, in zkCli's order (cdrwa). */
const PERMISSIONS: Array<[number, ZnodePermission, string]> = [
  [zookeeper.Permission.CREATE, 'create', 'c'],
  [zookeeper.Permission.DELETE, 'delete', 'd'],
  [zookeeper.Permission.READ, 'read', 'r'],
  [zookeeper.Permission.WRITE, 'write', 'w'],
  [zookeeper.Permission.ADMIN, 'admin', 'a'],
];

/** Reads of one znode: its data, a page of its children, its ACL. */
export class ZnodeBrowser extends ZnodeAccess {
  async read(path: string): Promise<ZnodeView> {
    validateZnodePath(path);
    const node = await this.call(path, 'read', () =>
      this.session.getData(path),
    );
    if (!node) throw await this.notFound(path);
    const view: ZnodeView = {
      path,
      stat: statView(node.stat),
      data: describeZnodeData(node.data),
    };
    const configPath = this.#configPathOf(path);
    if (configPath) view.configPath = configPath;
    return view;
  }

  /**
   * One page of a znode's children, sorted by name, each with its stat.
   * `cursor` is the last name of the previous page; pages stay consistent
   * while children come and go (a child created before the cursor is simply
   * not seen, one deleted is skipped).
   */
  async list(
    path: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<ZnodeChildrenPage> {
    validateZnodePath(path);
    const limit = options.limit ?? 100;
    if (
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > this.limits.maxPageSize
    ) {
      throw new InputError(
        `limit must be an integer from 1 to ${this.limits.maxPageSize}, not ${limit}`,
      );
    }
    const listing = await this.call(path, 'list', () =>
      this.session.getChildren(path),
    );
    if (!listing) throw await this.notFound(path);
    const names = [...listing.children].sort(compareNames);
    const start =
      options.cursor === undefined ? 0 : firstAfter(names, options.cursor);
    const page = names.slice(start, start + limit);
    const stats = await mapLimit(page, this.limits.concurrency, name =>
      this.call(path, 'list', () => this.session.exists(joinZnode(path, name))),
    );
    const items = page.flatMap((name, i) => {
      const stat = stats[i];
      return stat
        ? [{ name, path: joinZnode(path, name), stat: statView(stat) }]
        : [];
    });
    return {
      path,
      stat: statView(listing.stat),
      total: names.length,
      limit,
      items,
      nextCursor:
        start + limit < names.length ? page[page.length - 1] : undefined,
    };
  }

  async acl(path: string): Promise<ZnodeAclView> {
    validateZnodePath(path);
    const result = await this.call(path, 'read the ACL of', () =>
      this.session.getACL(path),
    );
    if (!result) throw await this.notFound(path);
    return {
      path,
      aclVersion: result.stat.aversion,
      acls: result.acls.map(acl => {
        // The runtime object has `permission`; the type declarations call it `perms`.
        const perms =
          (acl as unknown as { permission?: number }).permission ?? acl.perms;
        return {
          scheme: acl.id.scheme,
          id: acl.id.id,
          perms,
          permissions: PERMISSIONS.filter(([bit]) => perms & bit).map(
            ([, name]) => name,
          ),
          short: PERMISSIONS.filter(([bit]) => perms & bit)
            .map(([, , letter]) => letter)
            .join(''),
        };
      }),
    };
  }

  #configPathOf(path: string): string | undefined {
    const root = this.configRoot;
    if (!root || path === root || !isAtOrBelow(root, path)) return undefined;
    const configPath = path.slice(root.length);
    return /^(\/[A-Za-z0-9_-]+)+$/.test(configPath) ? configPath : undefined;
  }
}

/** Index of the first name after `cursor` in sorted `names`. */
function firstAfter(names: string[], cursor: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareNames(names[mid], cursor) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
