import { Tooltip } from '@material-ui/core';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { connectorState } from '@archon/plugin-archon-common';

/** A Connect state with its status colour. */
export const ConnectState = ({ state }: { state: string }) => {
  switch (state) {
    case 'RUNNING':
      return <StatusOK>{state}</StatusOK>;
    case 'FAILED':
      return <StatusError>{state}</StatusError>;
    case 'PAUSED':
    case 'STOPPED':
      return <StatusAborted>{state}</StatusAborted>;
    case 'UNASSIGNED':
    case 'RESTARTING':
      return <StatusPending>{state}</StatusPending>;
    default:
      return <StatusWarning>{state}</StatusWarning>;
  }
};

/**
 * A connector's state as the graph words it (archon-common's
 * `connectorState`: healthy, degraded, failed, stopped, unknown), with
 * Connect's own word and the failed task count in the tooltip.
 */
export const ConnectorState = (props: {
  state: string;
  failedTasks?: number;
}) => {
  const failed = props.failedTasks ?? 0;
  const word = connectorState(props.state, failed);
  const chip = (() => {
    switch (word) {
      case 'healthy':
        return <StatusOK>{word}</StatusOK>;
      case 'failed':
        return <StatusError>{word}</StatusError>;
      case 'stopped':
        return <StatusAborted>{word}</StatusAborted>;
      default:
        return <StatusWarning>{word}</StatusWarning>;
    }
  })();
  return (
    <Tooltip
      title={`Connect: ${props.state}${
        failed ? `, ${failed} task${failed === 1 ? '' : 's'} failed` : ''
      }`}
    >
      <span style={{ whiteSpace: 'nowrap' }} data-connect-state={props.state}>
        {chip}
      </span>
    </Tooltip>
  );
};
