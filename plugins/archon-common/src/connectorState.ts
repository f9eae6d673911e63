import type { GraphNodeStatusStateEnum } from './schema/openapi/generated/models';

/**
 * A connector's state (Connect's words) and failed task count as archon's
 * graph node state word: one reading for the graph and the Connect page.
 */
export function connectorState(
  connectState: string,
  failedTasks: number,
): GraphNodeStatusStateEnum {
  switch (connectState) {
    case 'RUNNING':
      return failedTasks > 0 ? 'degraded' : 'healthy';
    case 'FAILED':
      return 'failed';
    case 'PAUSED':
    case 'STOPPED':
      return 'stopped';
    case 'RESTARTING':
    case 'UNASSIGNED':
      return 'degraded';
    default:
      return 'unknown';
  }
}
