import {
  CustomErrorBase,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import zookeeper from 'node-zookeeper-client';
import { ZooKeeperOpError } from '../ZooKeeperSession';
import type { ZnodeDataView, ZnodeStatView } from './znodeData';

/** The state of a znode when a write conflicted, so the caller can merge and retry. */
export interface ZnodeConflictState {
  path: string;
  exists: boolean;
  stat?: ZnodeStatView;
  data?: ZnodeDataView;
}

/**
 * A ZooKeeper write lost a race or its precondition (a stale version, a
 * znode that exists or does not, a count that does not match). Answered as
 * 409 with `current` (the znode as it is now) and `details` (what to fix).
 */
export class ZooKeeperConflictError extends CustomErrorBase {
  name = 'ZooKeeperConflictError' as const;
  readonly current?: ZnodeConflictState;
  readonly details?: Record<string, unknown>;

  constructor(
    message: string,
    options: {
      current?: ZnodeConflictState;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.current = options.current;
    this.details = options.details;
  }
}

/** ZooKeeper's error code of a failed call or transaction, if it is one. */
export function zooKeeperCodeOf(error: unknown): number | undefined {
  if (error instanceof ZooKeeperOpError) return error.code;
  const code = (error as { getCode?: () => number })?.getCode?.();
  return typeof code === 'number' ? code : undefined;
}

const E = zookeeper.Exception;

/**
 * The errors every operation answers the same way: ZooKeeper's ACL refusing
 * archon (403, distinct from archon's own permissions), arguments ZooKeeper
 * rejects (400) and a lost connection (503). Anything else is returned as is.
 */
export function commonZooKeeperError(
  error: unknown,
  path: string,
  action: string,
): Error {
  const code = zooKeeperCodeOf(error);
  const at =
    error instanceof ZooKeeperOpError && error.op ? error.op.path : path;
  switch (code) {
    case E.NO_AUTH:
      return new NotAllowedError(
        `ZooKeeper's ACL on ${at} does not let archon ${action} it (ZooKeeper NO_AUTH); see GET /zookeeper/{ensemble}/acl${at}`,
      );
    case E.BAD_ARGUMENTS:
    case E.INVALID_ACL:
      return new InputError(
        `ZooKeeper refused to ${action} ${at}: ${(error as Error).message}`,
      );
    case E.NO_CHILDREN_FOR_EPHEMERALS:
      return new InputError(
        `Cannot ${action} ${at}: its parent is an ephemeral znode, and ephemeral znodes cannot have children`,
      );
    case E.CONNECTION_LOSS:
    case E.SESSION_EXPIRED:
    case E.OPERATION_TIMEOUT:
      return new ServiceUnavailableError(
        `ZooKeeper dropped the request to ${action} ${at}; it may or may not have been applied: read it again before retrying`,
      );
    default:
      return error as Error;
  }
}
