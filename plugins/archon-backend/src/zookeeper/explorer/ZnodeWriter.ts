import { InputError, NotFoundError } from '@backstage/errors';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperOpError, type ZooKeeperOp } from '../ZooKeeperSession';
import {
  commonZooKeeperError,
  zooKeeperCodeOf,
  ZooKeeperConflictError,
} from './errors';
import {
  CREATE_MODES,
  MAX_PARENT_RACE_RETRIES,
  type ZnodeCreateMode,
} from './explorerTypes';
import { ZnodeAccess } from './ZnodeAccess';
import {
  decodeZnodeDataInput,
  statView,
  type ZnodeDataInput,
} from './znodeData';
import {
  ancestorsOfZnode,
  assertWritableZnode,
  parentOf,
  validateZnodePath,
} from './znodePath';

const E = zookeeper.Exception;

/** Creating a znode and changing its data. */
export class ZnodeWriter extends ZnodeAccess {
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
}
