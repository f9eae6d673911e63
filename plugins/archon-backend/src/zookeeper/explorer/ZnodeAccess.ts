import { InputError, NotFoundError } from '@backstage/errors';
import { type ZooKeeperOp, type ZooKeeperSession } from '../ZooKeeperSession';
import { mapLimit } from './concurrency';
import { commonZooKeeperError, ZooKeeperConflictError } from './errors';
import {
  DEFAULT_EXPLORER_LIMITS,
  type WalkedNode,
  type ZooKeeperExplorerLimits,
} from './explorerTypes';
import { describeZnodeData, statView } from './znodeData';
import { ancestorsOfZnode, compareNames, joinZnode } from './znodePath';

/** Conservative size of one operation inside a multi request. */
export function opBytes(op: ZooKeeperOp): number {
  const path = Buffer.byteLength(op.path);
  const data =
    op.type === 'create' || op.type === 'setData' ? op.data.length : 0;
  // Multi header, path length prefix, version or mode, and (for create) the open ACL.
  return path + data + 64;
}

export interface ZnodeAccessOptions {
  session: ZooKeeperSession;
  ensemble: string;
  /** The Pheidippides root of this ensemble, to point configuration reads at /config. */
  configRoot?: string;
  limits?: Partial<ZooKeeperExplorerLimits>;
}

/**
 * What every part of the explorer shares: the session of one ensemble, its
 * limits, and the reads that turn ZooKeeper's answers into archon's errors.
 */
export class ZnodeAccess {
  protected readonly session: ZooKeeperSession;
  protected readonly ensemble: string;
  protected readonly configRoot?: string;
  readonly limits: ZooKeeperExplorerLimits;

  constructor(options: ZnodeAccessOptions) {
    this.session = options.session;
    this.ensemble = options.ensemble;
    this.configRoot = options.configRoot;
    // A limit given as undefined (an unset config key) keeps its default.
    const given = Object.entries(options.limits ?? {}).filter(
      ([, value]) => value !== undefined,
    );
    this.limits = { ...DEFAULT_EXPLORER_LIMITS, ...Object.fromEntries(given) };
  }

  /**
   * The subtree at `root`, breadth first (a parent before its children,
   * siblings by name). Znodes deleted while walking are left out; an empty
   * result means `root` does not exist.
   */
  protected async walk(
    root: string,
    options: {
      withData?: boolean;
      maxNodes: number;
      tooMany: () => Error;
      onNode?: (node: WalkedNode) => void;
    },
  ): Promise<WalkedNode[]> {
    const result: WalkedNode[] = [];
    let level = [root];
    while (level.length > 0) {
      if (result.length + level.length > options.maxNodes)
        throw options.tooMany();
      const walked = await mapLimit(
        level,
        this.limits.concurrency,
        async path => {
          const listing = await this.call(path, 'read', () =>
            this.session.getChildren(path),
          );
          if (!listing) return undefined;
          let data: Buffer | undefined;
          let stat = listing.stat;
          if (options.withData) {
            const node = await this.call(path, 'read', () =>
              this.session.getData(path),
            );
            if (!node) return undefined;
            data = node.data;
            stat = node.stat;
          }
          const node: WalkedNode = {
            path,
            stat,
            data,
            children: [...listing.children].sort(compareNames),
          };
          options.onNode?.(node);
          return node;
        },
      );
      const present = walked.filter((n): n is WalkedNode => !!n);
      result.push(...present);
      level = present.flatMap(n =>
        n.children.map(name => joinZnode(n.path, name)),
      );
    }
    return result;
  }

  /** Runs a ZooKeeper call, answering ACL refusals and connection loss clearly. */
  protected async call<T>(
    path: string,
    action: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw commonZooKeeperError(error, path, action);
    }
  }

  protected capped(
    name: string,
    value: number | undefined,
    cap: number,
  ): number {
    if (value === undefined) return cap;
    if (!Number.isInteger(value) || value < 1 || value > cap) {
      throw new InputError(
        `${name} must be an integer from 1 to ${cap} (archon's limit), not ${value}`,
      );
    }
    return value;
  }

  protected async currentState(path: string, withData = false) {
    const node = withData ? await this.session.getData(path) : undefined;
    const stat =
      node?.stat ?? (withData ? undefined : await this.session.exists(path));
    return {
      path,
      exists: !!stat,
      stat: stat ? statView(stat) : undefined,
      data: node ? describeZnodeData(node.data) : undefined,
    };
  }

  protected async staleVersion(path: string, expectedVersion: number) {
    const current = await this.currentState(path);
    return new ZooKeeperConflictError(
      current.exists
        ? `${path} is at version ${current.stat?.version}, not ${expectedVersion}: someone changed it since you read it. Read it again and retry with expectedVersion ${current.stat?.version}`
        : `${path} no longer exists (you expected version ${expectedVersion})`,
      { current },
    );
  }

  /** 404 naming the deepest ancestor that does exist, to show where the path goes wrong. */
  protected async notFound(path: string, suffix = ''): Promise<NotFoundError> {
    let deepest = '/';
    for (const ancestor of ancestorsOfZnode(path)) {
      const stat = await this.session.exists(ancestor).catch(() => undefined);
      if (!stat) break;
      deepest = ancestor;
    }
    return new NotFoundError(
      `There is no znode ${path} in ZooKeeper ensemble "${
        this.ensemble
      }"${suffix}${
        path !== '/' ? ` (the deepest existing ancestor is ${deepest})` : ''
      }`,
    );
  }
}
