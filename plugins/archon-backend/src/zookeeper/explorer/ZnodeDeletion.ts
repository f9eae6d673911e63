import { InputError } from '@backstage/errors';
import { UnprocessableError } from '@archon/plugin-archon-node';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperOpError, type ZooKeeperOp } from '../ZooKeeperSession';
import {
  commonZooKeeperError,
  zooKeeperCodeOf,
  ZooKeeperConflictError,
} from './errors';
import { opBytes, ZnodeAccess } from './ZnodeAccess';
import { assertWritableZnode, validateZnodePath } from './znodePath';

const E = zookeeper.Exception;

/** Deleting a znode, or a subtree counted first. */
export class ZnodeDeletion extends ZnodeAccess {
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

  #notEmpty(path: string, children: number) {
    return new ZooKeeperConflictError(
      `${path} has ${children} child znode(s); delete them first, or delete with recursive=true (the answer tells how many znodes that removes, to confirm with expectedCount)`,
      { details: { numChildren: children } },
    );
  }
}
