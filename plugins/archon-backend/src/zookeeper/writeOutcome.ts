import type { Stat } from 'node-zookeeper-client';
import type { ZNodeData, ZooKeeperOp } from './ZooKeeperSession';

/** ZooKeeper's sequential create modes: the created name is not known in advance. */
const SEQUENTIAL_MODES = new Set([2, 3]);

export type WriteOutcome =
  | { outcome: 'landed'; results: Array<{ stat?: Stat; path?: string }> }
  | { outcome: 'not-written' }
  | { outcome: 'unknown' };

type OpState = 'landed' | 'not-written' | 'unknown';

/**
 * Decides whether a multi whose answer was lost (the connection dropped
 * after it was sent) was applied, by reading its znodes back. A multi is
 * atomic, so either every operation's effect is there or none is; anything
 * in between means someone else wrote meanwhile and archon cannot tell, and
 * neither can a read that fails or does not finish by `deadline`.
 *
 * Residual race: a write still on its way to the leader when the barrier
 * passes (sent to a server that froze or was cut off with it, and that
 * forwards it later) is ordered after the barrier, so it reads as not
 * written and lands afterwards. ZooKeeper refuses such a write once the
 * session has moved to another server or expired (session moved or
 * expired), which closes that window on an ensemble; a standalone server
 * that resumes with the request still in its socket buffer may apply it.
 */
export async function resolveWriteOutcome(
  ops: ZooKeeperOp[],
  options: {
    /** Brings the session's server up to date with the leader first (ZooKeeper's `sync`). */
    barrier: (deadline: number) => Promise<void>;
    read: (path: string, deadline: number) => Promise<ZNodeData | null>;
    deadline: number;
  },
): Promise<WriteOutcome> {
  const writes = ops.filter(op => op.type !== 'check');
  const results: Array<{ stat?: Stat; path?: string }> = ops.map(() => ({}));
  const states: OpState[] = [];
  try {
    await options.barrier(options.deadline);
    for (const [index, op] of ops.entries()) {
      if (op.type === 'check') continue;
      const node = await options.read(op.path, options.deadline);
      states.push(stateOf(op, node));
      if (node && op.type === 'create')
        results[index] = { path: op.path, stat: node.stat };
      else if (node && op.type === 'setData')
        results[index] = { stat: node.stat };
    }
  } catch {
    return { outcome: 'unknown' };
  }
  if (writes.length && states.every(s => s === 'landed'))
    return { outcome: 'landed', results };
  if (writes.length && states.every(s => s === 'not-written'))
    return { outcome: 'not-written' };
  return { outcome: 'unknown' };
}

function stateOf(op: ZooKeeperOp, node: ZNodeData | null): OpState {
  switch (op.type) {
    case 'create':
      if (SEQUENTIAL_MODES.has(op.mode ?? 0)) return 'unknown';
      if (!node) return 'not-written';
      return node.data.equals(op.data) ? 'landed' : 'unknown';
    case 'setData':
      if (!node) return 'unknown';
      if (op.version === -1)
        return node.data.equals(op.data) ? 'landed' : 'unknown';
      if (node.stat.version === op.version + 1 && node.data.equals(op.data))
        return 'landed';
      return node.stat.version === op.version ? 'not-written' : 'unknown';
    case 'remove':
      if (!node) return 'landed';
      return op.version === -1 || node.stat.version === op.version
        ? 'not-written'
        : 'unknown';
    default:
      return 'unknown';
  }
}
