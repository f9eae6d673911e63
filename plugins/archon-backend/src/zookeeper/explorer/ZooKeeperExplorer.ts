import { InputError, NotFoundError } from '@backstage/errors';
import { UnprocessableError } from '@archon/plugin-archon-node';
import zookeeper, { type Stat } from 'node-zookeeper-client';
import { createHash } from 'node:crypto';
import {
  ZooKeeperOpError,
  type ZooKeeperOp,
  type ZooKeeperSession,
} from '../ZooKeeperSession';
import { mapLimit } from './concurrency';
import {
  commonZooKeeperError,
  zooKeeperCodeOf,
  ZooKeeperConflictError,
} from './errors';
import {
  DEFAULT_MAX_DATA_BYTES,
  decodeZnodeDataInput,
  describeZnodeData,
  statView,
  textOf,
  type ZnodeDataInput,
  type ZnodeDataView,
  type ZnodeStatView,
} from './znodeData';
import {
  ancestorsOfZnode,
  assertWritableZnode,
  compareNames,
  isAtOrBelow,
  joinZnode,
  nameOf,
  parentOf,
  validateZnodePath,
  znodeNameProblem,
} from './znodePath';

const E = zookeeper.Exception;

/** Resource limits; every one is reported by name when a request runs into it. */
export interface ZooKeeperExplorerLimits {
  /** Largest page of children. */
  maxPageSize: number;
  /** ZooKeeper calls in flight for one request (stats of a page, tree walks). */
  concurrency: number;
  /** Znodes in one export. */
  exportMaxNodes: number;
  /** Bytes of znode data in one export (the JSON is about 2.4 times that). */
  exportMaxBytes: number;
  /** Znodes in one import document. */
  importMaxNodes: number;
  /** Znodes a search may visit. */
  searchMaxVisited: number;
  /** Matches a search may return. */
  searchMaxResults: number;
  /** Znodes one recursive delete (or the deletes of a replace import) may remove. */
  deleteMaxNodes: number;
  /** Operations in one ZooKeeper transaction of a recursive delete. */
  deleteBatchOps: number;
  /**
   * Estimated bytes of one ZooKeeper transaction. ZooKeeper refuses requests
   * above jute.maxbuffer (1 MiB by default) by dropping the connection, so
   * archon stays well below it.
   */
  maxTransactionBytes: number;
  /** Bytes of data in one znode. */
  maxDataBytes: number;
}

export const DEFAULT_EXPLORER_LIMITS: ZooKeeperExplorerLimits = {
  maxPageSize: 1000,
  concurrency: 64,
  exportMaxNodes: 10_000,
  exportMaxBytes: 8 * 1024 * 1024,
  importMaxNodes: 10_000,
  searchMaxVisited: 100_000,
  searchMaxResults: 1000,
  deleteMaxNodes: 100_000,
  deleteBatchOps: 1000,
  maxTransactionBytes: 900_000,
  maxDataBytes: DEFAULT_MAX_DATA_BYTES,
};

export type ZnodeCreateMode =
  | 'persistent'
  | 'persistent_sequential'
  | 'sequential'
  | 'ephemeral'
  | 'ephemeral_sequential';

/** How often create() re-reads the ancestors when a parent appears concurrently. */
const MAX_PARENT_RACE_RETRIES = 5;

const CREATE_MODES: Record<ZnodeCreateMode, number> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  persistent_sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  // zkCli's `create -s`: persistent and sequential.
  sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  ephemeral_sequential: zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

export const EXPORT_FORMAT = 'archon.zookeeper.export/v1';

export interface ZnodeView {
  path: string;
  stat: ZnodeStatView;
  data: ZnodeDataView;
  /** Set when the znode is a Pheidippides configuration level: read it through /config instead. */
  configPath?: string;
}

export interface ZnodeChildrenPage {
  path: string;
  stat: ZnodeStatView;
  /** All children of the znode (not just this page). */
  total: number;
  limit: number;
  items: Array<{ name: string; path: string; stat: ZnodeStatView }>;
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

export interface ZnodeAclView {
  path: string;
  aclVersion: number;
  acls: Array<{
    scheme: string;
    id: string;
    perms: number;
    permissions: ZnodePermission[];
    short: string;
  }>;
}

export interface ExportNode {
  name: string;
  data?: {
    format?: 'json' | 'text' | 'binary';
    base64?: string;
    text?: string;
  };
  ephemeral?: boolean;
  stat?: ZnodeStatView;
  children?: ExportNode[];
}

export interface ZnodeExport {
  format: string;
  ensemble?: string;
  path?: string;
  exportedAt?: string;
  nodeCount?: number;
  dataBytes?: number;
  root: ExportNode;
}

export interface ImportPlan {
  path: string;
  mode: 'merge' | 'replace';
  dryRun: boolean;
  applied: boolean;
  creates: Array<{ path: string; size: number }>;
  updates: Array<{
    path: string;
    version: number;
    fromSize: number;
    toSize: number;
  }>;
  deletes: Array<{ path: string; version: number }>;
  unchanged: number;
  skipped: Array<{ path: string; reason: string }>;
  /** Send back as `expectedPlanHash` to apply exactly what the dry run showed. */
  planHash: string;
  estimatedTransactionBytes: number;
  maxTransactionBytes: number;
}

interface WalkedNode {
  path: string;
  stat: Stat;
  data?: Buffer;
  /** Child names, sorted. */
  children: string[];
}

type ZnodePermission = 'read' | 'write' | 'create' | 'delete' | 'admin';

/** ZooKeeper's permission bits, in zkCli's order (cdrwa). */
const PERMISSIONS: Array<[number, ZnodePermission, string]> = [
  [zookeeper.Permission.CREATE, 'create', 'c'],
  [zookeeper.Permission.DELETE, 'delete', 'd'],
  [zookeeper.Permission.READ, 'read', 'r'],
  [zookeeper.Permission.WRITE, 'write', 'w'],
  [zookeeper.Permission.ADMIN, 'admin', 'a'],
];

/** Conservative size of one operation inside a multi request. */
function opBytes(op: ZooKeeperOp): number {
  const path = Buffer.byteLength(op.path);
  const data =
    op.type === 'create' || op.type === 'setData' ? op.data.length : 0;
  // Multi header, path length prefix, version or mode, and (for create) the open ACL.
  return path + data + 64;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The raw ZooKeeper explorer of one ensemble: browse, read, create, change,
 * delete, ACLs, export/import and search of any znode. No HTTP here. Writes
 * always go through version-checked ZooKeeper transactions, so a request
 * either applies completely or not at all (recursive deletes too large for
 * one transaction are the documented exception).
 */
export class ZooKeeperExplorer {
  protected readonly session: ZooKeeperSession;
  protected readonly ensemble: string;
  protected readonly configRoot?: string;
  readonly limits: ZooKeeperExplorerLimits;

  constructor(options: {
    session: ZooKeeperSession;
    ensemble: string;
    /** The Pheidippides root of this ensemble, to point configuration reads at /config. */
    configRoot?: string;
    limits?: Partial<ZooKeeperExplorerLimits>;
  }) {
    this.session = options.session;
    this.ensemble = options.ensemble;
    this.configRoot = options.configRoot;
    // A limit given as undefined (an unset config key) keeps its default.
    const given = Object.entries(options.limits ?? {}).filter(
      ([, value]) => value !== undefined,
    );
    this.limits = { ...DEFAULT_EXPLORER_LIMITS, ...Object.fromEntries(given) };
  }

  // ---------------------------------------------------------------- reads

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

  /**
   * Znode paths at or below `prefix` containing `query`, breadth first
   * (shallow matches first, siblings by name). Visits at most `maxVisited`
   * znodes and returns at most `maxResults` matches; `truncated` says when it
   * stopped early and why.
   */
  async search(
    prefix: string,
    query: string,
    options: {
      maxVisited?: number;
      maxResults?: number;
      caseSensitive?: boolean;
    } = {},
  ) {
    validateZnodePath(prefix, 'search prefix');
    if (!query)
      throw new InputError(
        'The search text "query" is empty; give a substring of the paths to find',
      );
    const maxVisited = this.capped(
      'maxVisited',
      options.maxVisited,
      this.limits.searchMaxVisited,
    );
    const maxResults = this.capped(
      'maxResults',
      options.maxResults,
      this.limits.searchMaxResults,
    );
    const fold = (s: string) => (options.caseSensitive ? s : s.toLowerCase());
    const needle = fold(query);
    const start = await this.call(prefix, 'search', () =>
      this.session.exists(prefix),
    );
    if (!start) throw await this.notFound(prefix);

    const matches: Array<{ path: string }> = [];
    let visited = 0;
    let truncatedReason: 'maxVisited' | 'maxResults' | undefined;
    let level = [prefix];
    while (level.length > 0 && !truncatedReason) {
      // Breadth first: examine this level, then list the children of what was examined.
      const examined: string[] = [];
      for (const path of level) {
        if (visited >= maxVisited) {
          truncatedReason = 'maxVisited';
          break;
        }
        if (fold(path).includes(needle)) {
          if (matches.length >= maxResults) {
            // A match beyond the limit: there are more than maxResults.
            truncatedReason = 'maxResults';
            break;
          }
          matches.push({ path });
        }
        visited++;
        examined.push(path);
      }
      if (truncatedReason) break;
      const listings = await mapLimit(examined, this.limits.concurrency, path =>
        this.call(path, 'search', () => this.session.getChildren(path)),
      );
      level = examined.flatMap((path, i) =>
        (listings[i]?.children ?? [])
          .sort(compareNames)
          .map(name => joinZnode(path, name)),
      );
    }
    const messages = {
      maxVisited: `Stopped after visiting ${visited} znodes (maxVisited); there are more under ${prefix}: search a deeper prefix`,
      maxResults: `There are more than ${maxResults} matches (maxResults); refine the query or search a deeper prefix`,
    };
    return {
      prefix,
      query,
      caseSensitive: !!options.caseSensitive,
      matches,
      visited,
      truncated: truncatedReason !== undefined,
      truncatedReason,
      message: truncatedReason && messages[truncatedReason],
    };
  }

  /** The subtree at `path` as JSON: every znode's data (base64, plus text when it is text), children sorted by name. */
  async export(
    path: string,
    options: { maxNodes?: number; includeStat?: boolean } = {},
  ): Promise<ZnodeExport> {
    validateZnodePath(path);
    const maxNodes = this.capped(
      'maxNodes',
      options.maxNodes,
      this.limits.exportMaxNodes,
    );
    let dataBytes = 0;
    const nodes = await this.walk(path, {
      withData: true,
      maxNodes,
      tooMany: () =>
        new UnprocessableError(
          `The subtree at ${path} has more than ${maxNodes} znodes, the export limit (maxNodes); export smaller subtrees (see GET /zookeeper/{ensemble}/children${
            path === '/' ? '' : path
          } for its parts)`,
          { limit: 'maxNodes', maxNodes },
        ),
      onNode: node => {
        dataBytes += node.data?.length ?? 0;
        if (dataBytes > this.limits.exportMaxBytes) {
          throw new UnprocessableError(
            `The subtree at ${path} holds more than ${this.limits.exportMaxBytes} bytes of znode data, the export limit; export smaller subtrees`,
            {
              limit: 'exportMaxBytes',
              exportMaxBytes: this.limits.exportMaxBytes,
            },
          );
        }
      },
    });
    if (nodes.length === 0) throw await this.notFound(path);
    const byPath = new Map(nodes.map(n => [n.path, n]));
    const build = (node: WalkedNode): ExportNode => {
      const view = describeZnodeData(node.data ?? Buffer.alloc(0));
      const out: ExportNode = {
        name: node.path === '/' ? '' : nameOf(node.path),
        data: {
          format: view.format,
          base64: view.base64,
          ...(view.text !== undefined ? { text: view.text } : {}),
        },
      };
      if (node.stat && statView(node.stat).ephemeral) out.ephemeral = true;
      if (options.includeStat) out.stat = statView(node.stat);
      const children = node.children
        .map(name => byPath.get(joinZnode(node.path, name)))
        .filter((c): c is WalkedNode => !!c);
      if (children.length > 0) out.children = children.map(build);
      return out;
    };
    return {
      format: EXPORT_FORMAT,
      ensemble: this.ensemble,
      path,
      exportedAt: new Date().toISOString(),
      nodeCount: nodes.length,
      dataBytes,
      root: build(nodes[0]),
    };
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates a znode. Sequential modes append ZooKeeper's 10-digit counter to
   * the last segment; the response has the real path. An ephemeral znode
   * belongs to archon's own ZooKeeper session: it lives until that session
   * ends (archon stops, or loses ZooKeeper for longer than the session
   * timeout), not until the caller goes away.
   */
  async create(
    path: string,
    options: {
      data?: ZnodeDataInput;
      mode?: ZnodeCreateMode;
      createParents?: boolean;
    } = {},
  ) {
    validateZnodePath(path);
    assertWritableZnode(path, 'create');
    const mode = options.mode ?? 'persistent';
    const modeCode = CREATE_MODES[mode];
    if (modeCode === undefined) {
      throw new InputError(
        `Unknown mode "${mode}"; use one of ${Object.keys(CREATE_MODES).join(
          ', ',
        )}`,
      );
    }
    const data = decodeZnodeDataInput(options.data, {
      maxBytes: this.limits.maxDataBytes,
    });
    // A missing parent may appear between the exists() checks and the multi
    // (another writer creating the same tree); parents are plain empty
    // znodes, so someone else's copy is as good as ours: look again and retry.
    for (let attempt = 1; ; attempt++) {
      const ops: ZooKeeperOp[] = [];
      const createdParents: string[] = [];
      if (options.createParents) {
        for (const ancestor of ancestorsOfZnode(path)) {
          if (
            !(await this.call(ancestor, 'create', () =>
              this.session.exists(ancestor),
            ))
          ) {
            ops.push({ type: 'create', path: ancestor, data: Buffer.alloc(0) });
            createdParents.push(ancestor);
          }
        }
      }
      ops.push({ type: 'create', path, data, mode: modeCode });
      try {
        const results = await this.session.multi(ops);
        const created = results[results.length - 1]?.path ?? path;
        return this.#created(created, path, mode, createdParents);
      } catch (error) {
        const code = zooKeeperCodeOf(error);
        const failed =
          error instanceof ZooKeeperOpError ? error.op?.path ?? path : path;
        if (
          code === E.NODE_EXISTS &&
          failed !== path &&
          attempt < MAX_PARENT_RACE_RETRIES
        )
          continue;
        if (code === E.NODE_EXISTS) {
          const current = await this.currentState(failed);
          throw new ZooKeeperConflictError(
            failed === path
              ? `The znode ${path} already exists (version ${current.stat?.version}); change it with PUT and expectedVersion, or pick another name`
              : `The parents of ${path} kept changing under other writers (${MAX_PARENT_RACE_RETRIES} attempts, last at ${failed}); retry`,
            { current },
          );
        }
        if (code === E.NO_NODE) {
          throw new NotFoundError(
            `The parent ${parentOf(
              path,
            )} does not exist; create it first, or send "createParents": true to create missing parents as empty persistent znodes`,
          );
        }
        throw commonZooKeeperError(error, path, 'create');
      }
    }
  }

  async #created(
    created: string,
    path: string,
    mode: ZnodeCreateMode,
    createdParents: string[],
  ) {
    const stat = await this.call(created, 'create', () =>
      this.session.exists(created),
    );
    const ephemeral = mode === 'ephemeral' || mode === 'ephemeral_sequential';
    return {
      path: created,
      requestedPath: path,
      mode,
      createdParents,
      stat: stat ? statView(stat) : undefined,
      note: ephemeral
        ? `Ephemeral: ${created} belongs to archon's ZooKeeper session ${
            stat ? statView(stat).ephemeralOwner : ''
          } and is deleted when that session ends (archon stops, or loses ZooKeeper for longer than the session timeout), not when you disconnect`
        : undefined,
    };
  }

  /** Replaces a znode's data if it is still at `expectedVersion` (-1: whatever version). */
  async setData(
    path: string,
    options: { data?: ZnodeDataInput; expectedVersion?: number },
  ) {
    validateZnodePath(path);
    assertWritableZnode(path, 'change');
    if (options.data === undefined) {
      throw new InputError(
        '"data" is missing: send {"data": {"text": ...}} (or "base64" or "json"); {"data": {}} empties the znode',
      );
    }
    const data = decodeZnodeDataInput(options.data, {
      maxBytes: this.limits.maxDataBytes,
    });
    const expectedVersion = options.expectedVersion;
    if (expectedVersion === undefined) {
      const stat = await this.call(path, 'change', () =>
        this.session.exists(path),
      );
      if (!stat) throw await this.notFound(path);
      throw new InputError(
        `"expectedVersion" is missing: send the version you read (${path} is at version ${stat.version} now), or -1 to overwrite whatever version is there`,
      );
    }
    try {
      const [result] = await this.session.multi([
        { type: 'setData', path, data, version: expectedVersion },
      ]);
      const stat = result?.stat ?? (await this.session.exists(path));
      return { path, stat: stat ? statView(stat) : undefined };
    } catch (error) {
      const code = zooKeeperCodeOf(error);
      if (code === E.BAD_VERSION) {
        const current = await this.currentState(path, true);
        throw new ZooKeeperConflictError(
          `${path} is at version ${current.stat?.version}, not ${expectedVersion}: someone changed it since you read it. Merge with the current data and retry with expectedVersion ${current.stat?.version}`,
          { current },
        );
      }
      if (code === E.NO_NODE)
        throw await this.notFound(path, ' (create it with POST)');
      throw commonZooKeeperError(error, path, 'change');
    }
  }

  /**
   * Deletes a znode at `expectedVersion` (-1: any). With `recursive`, also
   * everything below it, but only when `expectedCount` equals the number of
   * znodes that would go (the znode itself included): without it the 400
   * says the count, with a different one the 409 does.
   *
   * A recursive delete removes the deepest znodes first, in transactions of
   * at most `deleteBatchOps` operations; the first also checks the version of
   * `path`. A subtree that fits one transaction goes atomically. A larger one
   * goes batch by batch: if someone creates a child under a znode being
   * deleted meanwhile, the batch holding that znode fails as a whole (ZooKeeper
   * NOT_EMPTY), archon stops there and answers 409 saying how many znodes were
   * already deleted and which remain; the earlier batches stay deleted.
   * Znodes someone else deleted meanwhile are skipped.
   */
  async delete(
    path: string,
    options: {
      expectedVersion?: number;
      recursive?: boolean;
      expectedCount?: number;
    },
  ) {
    validateZnodePath(path);
    assertWritableZnode(path, 'delete');
    const stat = await this.call(path, 'delete', () =>
      this.session.exists(path),
    );
    if (!stat) throw await this.notFound(path);
    const { expectedVersion } = options;
    if (expectedVersion === undefined) {
      throw new InputError(
        `"expectedVersion" is missing: send the version you read (${path} is at version ${stat.version} now), or -1 to delete whatever version is there`,
      );
    }
    if (expectedVersion !== -1 && stat.version !== expectedVersion) {
      throw await this.staleVersion(path, expectedVersion);
    }
    if (!options.recursive) {
      if (options.expectedCount !== undefined && options.expectedCount !== 1) {
        throw new InputError(
          `"expectedCount" only applies with recursive=true (a plain delete removes exactly one znode)`,
        );
      }
      if (stat.numChildren > 0) throw this.#notEmpty(path, stat.numChildren);
      try {
        await this.session.multi([
          { type: 'remove', path, version: expectedVersion },
        ]);
      } catch (error) {
        const code = zooKeeperCodeOf(error);
        if (code === E.BAD_VERSION)
          throw await this.staleVersion(path, expectedVersion);
        if (code === E.NOT_EMPTY)
          throw this.#notEmpty(
            path,
            (await this.session.exists(path))?.numChildren ?? 1,
          );
        if (code === E.NO_NODE)
          throw await this.notFound(path, ' (someone else deleted it)');
        throw commonZooKeeperError(error, path, 'delete');
      }
      return { path, deleted: 1, transactions: 1 };
    }

    const nodes = await this.walk(path, {
      maxNodes: this.limits.deleteMaxNodes,
      tooMany: () =>
        new UnprocessableError(
          `The subtree at ${path} has more than ${this.limits.deleteMaxNodes} znodes, more than archon deletes in one request; delete its children first`,
          {
            limit: 'deleteMaxNodes',
            deleteMaxNodes: this.limits.deleteMaxNodes,
          },
        ),
    });
    const count = nodes.length;
    if (options.expectedCount === undefined) {
      throw new InputError(
        `A recursive delete needs "expectedCount": ${path} and everything below it are ${count} znode(s); repeat with expectedCount=${count} to delete them`,
      );
    }
    if (options.expectedCount !== count) {
      throw new ZooKeeperConflictError(
        `${path} and everything below it are ${count} znode(s), not ${options.expectedCount}; check what you are deleting and repeat with expectedCount=${count}`,
        { details: { count, expectedCount: options.expectedCount } },
      );
    }
    // Breadth-first reversed: every znode comes after all of its descendants.
    const removals: ZooKeeperOp[] = nodes
      .slice()
      .reverse()
      .map(n => ({
        type: 'remove',
        path: n.path,
        version: n.path === path ? expectedVersion : -1,
      }));
    const batches = this.#batches(removals, this.limits.deleteBatchOps);
    // A stale version of `path` fails the first transaction, before anything goes.
    if (batches.length > 1)
      batches[0].unshift({ type: 'check', path, version: expectedVersion });
    let deleted = 0;
    let transactions = 0;
    for (let b = 0; b < batches.length; b++) {
      let batch = batches[b];
      for (;;) {
        try {
          await this.session.multi(batch);
          transactions++;
          deleted += batch.filter(op => op.type === 'remove').length;
          break;
        } catch (error) {
          const code = zooKeeperCodeOf(error);
          const failedOp =
            error instanceof ZooKeeperOpError ? error.op : undefined;
          if (code === E.NO_NODE && failedOp && failedOp.path !== path) {
            // Someone else deleted it: nothing left to do for that one.
            const gone = failedOp;
            batch = batch.filter(op => op !== gone);
            if (batch.length === 0) break;
            continue;
          }
          if (
            (code === E.BAD_VERSION || code === E.NO_NODE) &&
            failedOp?.path === path
          ) {
            if (deleted === 0)
              throw await this.staleVersion(path, expectedVersion);
          }
          if (
            code === E.NOT_EMPTY ||
            code === E.BAD_VERSION ||
            code === E.NO_NODE
          ) {
            const remaining = removals.length - deleted;
            const progress =
              deleted === 0
                ? 'nothing was deleted'
                : `${deleted} of ${count} znodes were already deleted (deepest first) in ${transactions} transaction(s); ${remaining} remain`;
            throw new ZooKeeperConflictError(
              `${failedOp?.path ?? path} changed while it was being deleted${
                code === E.NOT_EMPTY
                  ? ' (someone created a child under it)'
                  : ''
              }: ${progress}. Repeat the delete without expectedCount to count again`,
              {
                current: await this.currentState(path),
                details: {
                  count,
                  deleted,
                  remaining,
                  failedAt: failedOp?.path,
                  transactions,
                },
              },
            );
          }
          throw commonZooKeeperError(error, path, 'delete');
        }
      }
    }
    return { path, deleted: count, transactions };
  }

  /**
   * Applies an export document to the subtree at `path` (its root node maps
   * to `path`). `merge` creates missing znodes and updates changed data;
   * `replace` also deletes znodes that the document does not have. A dry run
   * (the default) only plans; applying runs the plan as ONE version-checked
   * ZooKeeper transaction, so a concurrent change fails it as a whole (409)
   * and nothing is half-applied. Ephemeral znodes in the document are skipped
   * (they would belong to archon's session).
   */
  async import(
    path: string,
    options: {
      snapshot: ZnodeExport;
      mode?: 'merge' | 'replace';
      dryRun?: boolean;
      expectedPlanHash?: string;
    },
  ): Promise<ImportPlan> {
    validateZnodePath(path);
    assertWritableZnode(path, 'import into');
    const mode = options.mode ?? 'merge';
    const dryRun = options.dryRun ?? true;
    const { snapshot } = options;
    if (snapshot.format !== EXPORT_FORMAT) {
      throw new InputError(
        `"snapshot.format" is ${JSON.stringify(
          snapshot.format,
        )}; archon imports "${EXPORT_FORMAT}" documents (from GET /zookeeper/{ensemble}/export/...)`,
      );
    }
    const desired = this.#flatten(path, snapshot.root);
    const skipped = desired.skipped;

    // What is there now.
    const existingAncestors = await mapLimit(
      ancestorsOfZnode(path),
      this.limits.concurrency,
      a => this.call(a, 'import into', () => this.session.exists(a)),
    );
    const missingAncestors = ancestorsOfZnode(path).filter(
      (_, i) => !existingAncestors[i],
    );
    const current = new Map<string, { data: Buffer; version: number }>();
    const currentPaths: string[] = [];
    if (mode === 'replace') {
      const walked = await this.walk(path, {
        withData: true,
        maxNodes: this.limits.deleteMaxNodes,
        tooMany: () =>
          new UnprocessableError(
            `The subtree at ${path} has more than ${this.limits.deleteMaxNodes} znodes; archon does not replace subtrees that large`,
            {
              limit: 'deleteMaxNodes',
              deleteMaxNodes: this.limits.deleteMaxNodes,
            },
          ),
      });
      for (const n of walked) {
        current.set(n.path, {
          data: n.data ?? Buffer.alloc(0),
          version: n.stat.version,
        });
        currentPaths.push(n.path);
      }
    } else {
      const paths = [...desired.nodes.keys()];
      const read = await mapLimit(paths, this.limits.concurrency, p =>
        this.call(p, 'import into', () => this.session.getData(p)),
      );
      paths.forEach((p, i) => {
        const node = read[i];
        if (node)
          current.set(p, { data: node.data, version: node.stat.version });
      });
    }

    // The plan.
    const creates: ImportPlan['creates'] = missingAncestors.map(p => ({
      path: p,
      size: 0,
    }));
    const updates: ImportPlan['updates'] = [];
    let unchanged = 0;
    for (const [p, data] of desired.nodes) {
      const now = current.get(p);
      if (!now) creates.push({ path: p, size: data.length });
      else if (now.data.equals(data)) unchanged++;
      else
        updates.push({
          path: p,
          version: now.version,
          fromSize: now.data.length,
          toSize: data.length,
        });
    }
    const deletes: ImportPlan['deletes'] =
      mode === 'replace'
        ? currentPaths
            .filter(p => !desired.nodes.has(p) && !desired.skippedPaths.has(p))
            .reverse()
            .map(p => ({ path: p, version: current.get(p)!.version }))
        : [];

    const ops: ZooKeeperOp[] = [
      ...deletes.map(
        (d): ZooKeeperOp => ({
          type: 'remove',
          path: d.path,
          version: d.version,
        }),
      ),
      ...creates.map(
        (c): ZooKeeperOp => ({
          type: 'create',
          path: c.path,
          data: desired.nodes.get(c.path) ?? Buffer.alloc(0),
        }),
      ),
      ...updates.map(
        (u): ZooKeeperOp => ({
          type: 'setData',
          path: u.path,
          data: desired.nodes.get(u.path)!,
          version: u.version,
        }),
      ),
    ];
    const estimatedTransactionBytes = ops.reduce(
      (sum, op) => sum + opBytes(op),
      0,
    );
    const planHash = sha256(
      JSON.stringify({
        path,
        mode,
        ops: ops.map(op => [
          op.type,
          op.path,
          'version' in op ? op.version : null,
          'data' in op ? sha256(op.data) : null,
        ]),
      }),
    );
    const plan: ImportPlan = {
      path,
      mode,
      dryRun,
      applied: false,
      creates,
      updates,
      deletes,
      unchanged,
      skipped,
      planHash,
      estimatedTransactionBytes,
      maxTransactionBytes: this.limits.maxTransactionBytes,
    };
    if (dryRun) return plan;

    if (
      options.expectedPlanHash !== undefined &&
      options.expectedPlanHash !== planHash
    ) {
      throw new ZooKeeperConflictError(
        `The import into ${path} would no longer do what the dry run showed (the znodes changed since); review the new plan in "details" and apply with its planHash`,
        { details: { plan } },
      );
    }
    if (estimatedTransactionBytes > this.limits.maxTransactionBytes) {
      throw new UnprocessableError(
        `The import into ${path} needs one ZooKeeper transaction of about ${estimatedTransactionBytes} bytes; archon keeps transactions below ${this.limits.maxTransactionBytes} (ZooKeeper's jute.maxbuffer is about 1 MiB). Import smaller subtrees`,
        {
          limit: 'maxTransactionBytes',
          estimatedTransactionBytes,
          maxTransactionBytes: this.limits.maxTransactionBytes,
        },
      );
    }
    if (ops.length > 0) {
      try {
        await this.session.multi(ops);
      } catch (error) {
        const code = zooKeeperCodeOf(error);
        if (
          code === E.BAD_VERSION ||
          code === E.NODE_EXISTS ||
          code === E.NO_NODE ||
          code === E.NOT_EMPTY
        ) {
          const at =
            error instanceof ZooKeeperOpError ? error.op?.path : undefined;
          throw new ZooKeeperConflictError(
            `${
              at ?? path
            } changed while the import was being applied; nothing was applied. Run the dry run again and apply the new plan`,
            { details: { failedAt: at } },
          );
        }
        throw commonZooKeeperError(error, path, 'import into');
      }
    }
    return { ...plan, applied: true };
  }

  // ---------------------------------------------------------------- helpers

  /** The import document flattened to absolute paths, validated. */
  #flatten(path: string, root: ExportNode) {
    const nodes = new Map<string, Buffer>();
    const skipped: ImportPlan['skipped'] = [];
    const skippedPaths = new Set<string>();
    let count = 0;
    const visit = (node: ExportNode, at: string, where: string) => {
      if (++count > this.limits.importMaxNodes) {
        throw new InputError(
          `The import document has more than ${this.limits.importMaxNodes} znodes, the import limit; import smaller subtrees`,
        );
      }
      const data = this.#importData(node, where);
      if (node.ephemeral) {
        skipped.push({
          path: at,
          reason:
            "ephemeral in the export; an imported copy would belong to archon's session",
        });
        skippedPaths.add(at);
        if (node.children?.length) {
          throw new InputError(
            `${where} is marked ephemeral but has children; ephemeral znodes cannot have children`,
          );
        }
        return;
      }
      nodes.set(at, data);
      const seen = new Set<string>();
      (node.children ?? []).forEach((child, i) => {
        const childWhere = `${where}.children[${i}]`;
        const problem =
          typeof child?.name === 'string'
            ? znodeNameProblem(child.name)
            : 'is missing';
        if (problem) throw new InputError(`${childWhere}.name ${problem}`);
        if (seen.has(child.name))
          throw new InputError(
            `${childWhere}.name "${child.name}" appears twice under ${at}`,
          );
        seen.add(child.name);
        const childPath = joinZnode(at, child.name);
        if (!isAtOrBelow(path, childPath))
          throw new InputError(`${childWhere} is outside ${path}`);
        visit(child, childPath, childWhere);
      });
    };
    if (!root || typeof root !== 'object')
      throw new InputError('"snapshot.root" is missing');
    visit(root, path, 'snapshot.root');
    return { nodes, skipped, skippedPaths };
  }

  #importData(node: ExportNode, where: string): Buffer {
    const { base64, text } = node.data ?? {};
    if (base64 === undefined) {
      return decodeZnodeDataInput(text === undefined ? undefined : { text }, {
        field: `${where}.data`,
        maxBytes: this.limits.maxDataBytes,
      });
    }
    const bytes = decodeZnodeDataInput(
      { base64 },
      { field: `${where}.data`, maxBytes: this.limits.maxDataBytes },
    );
    if (text !== undefined && textOf(bytes) !== text) {
      throw new InputError(
        `${where}.data has both "base64" and "text" and they differ; if you edited one, remove the other (base64 is exact, text is for reading)`,
      );
    }
    return bytes;
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

  #batches(ops: ZooKeeperOp[], maxOps: number): ZooKeeperOp[][] {
    const batches: ZooKeeperOp[][] = [];
    let current: ZooKeeperOp[] = [];
    let bytes = 0;
    for (const op of ops) {
      const size = opBytes(op);
      if (
        current.length > 0 &&
        (current.length >= maxOps ||
          bytes + size > this.limits.maxTransactionBytes)
      ) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(op);
      bytes += size;
    }
    if (current.length > 0) batches.push(current);
    return batches;
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

  #notEmpty(path: string, children: number) {
    return new ZooKeeperConflictError(
      `${path} has ${children} child znode(s); delete them first, or delete with recursive=true (the answer tells how many znodes that removes, to confirm with expectedCount)`,
      { details: { numChildren: children } },
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
