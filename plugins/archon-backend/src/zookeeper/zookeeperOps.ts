import zookeeper, { type ACL, type Stat } from 'node-zookeeper-client';

/** Codes after which a write may or may not have been applied. */
export const OUTCOME_UNKNOWN_CODES = new Set<number>([
  zookeeper.Exception.CONNECTION_LOSS,
  zookeeper.Exception.SESSION_EXPIRED,
  zookeeper.Exception.OPERATION_TIMEOUT,
]);

// The runtime has ACL.OPEN_ACL_UNSAFE; its type declarations lack it.
export const OPEN_ACL_UNSAFE = (
  zookeeper.ACL as unknown as { OPEN_ACL_UNSAFE: ACL[] }
).OPEN_ACL_UNSAFE;

/** A znode's data and the parts of its stat archon uses. */
export interface ZNodeData {
  data: Buffer;
  stat: Stat;
}

/** One operation of a ZooKeeper multi (transaction). */
export type ZooKeeperOp =
  | { type: 'create'; path: string; data: Buffer; mode?: number }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'remove'; path: string; version: number }
  | { type: 'check'; path: string; version: number };

/** A failed multi: which operation failed and ZooKeeper's error code. */
export class ZooKeeperOpError extends Error {
  readonly code: number;
  readonly index: number;
  readonly op?: ZooKeeperOp;
  constructor(cause: any, index: number, op?: ZooKeeperOp) {
    super(
      `ZooKeeper ${cause?.name ?? 'error'}${
        op ? ` at ${op.type} ${op.path}` : ''
      }`,
    );
    this.name = 'ZooKeeperOpError';
    this.code = cause?.getCode?.() ?? 0;
    this.index = index;
    this.op = op;
  }
}

/** The deepest znode path all ops share, for messages. */
export function commonParent(ops: ZooKeeperOp[]): string {
  const split = ops.map(o => o.path.split('/'));
  const common: string[] = [];
  for (
    let i = 0;
    split.every(parts => i < parts.length && parts[i] === split[0][i]);
    i++
  )
    common.push(split[0][i]);
  return common.join('/') || '/';
}
