import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';

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
