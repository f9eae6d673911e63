import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import type { ConnectConnector } from '@archon/plugin-archon-common';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ConnectState } from '../ConnectPage/ConnectState';
import { Trace } from '../common/Trace';
import type { ConnectorAction } from './useConnectorActions';

/**
 * The connector's state, worker and failure, with restart (all or only what
 * failed), pause, resume and stop. Buttons are disabled while an action runs
 * and without archon.connect.connector.manage.
 */
export const ConnectorStatusCard = (props: {
  cluster: string;
  connector: ConnectConnector;
  canManage: boolean;
  /** The policy said no (not merely still deciding). */
  denied: boolean;
  busy: boolean;
  onAction: (action: ConnectorAction) => void;
  onRefresh: () => void;
}) => {
  const { connector: c } = props;
  const [confirmStop, setConfirmStop] = useState(false);
  const disabled = !props.canManage || props.busy;
  const halted = c.state === 'PAUSED' || c.state === 'STOPPED';
  const somethingFailed = c.state === 'FAILED' || (c.failedTasks ?? 0) > 0;
  const running = c.tasks.filter(t => t.state === 'RUNNING').length;

  return (
    <InfoCard
      title="Connector"
      action={<Button onClick={props.onRefresh}>Refresh</Button>}
    >
      <StructuredMetadataTable
        metadata={{
          cluster: props.cluster,
          type: c.type,
          state: <ConnectState state={c.state} />,
          worker: c.workerId ?? '—',
          class: c.config['connector.class'] ?? '—',
          tasks: `${running}/${c.tasks.length} running${
            c.failedTasks ? `, ${c.failedTasks} failed` : ''
          }`,
        }}
      />
      {c.trace && (
        <>
          <Typography variant="subtitle2">Connector failure</Typography>
          <Trace text={c.trace} label={`Failure trace of ${c.name}`} />
        </>
      )}
      <Box display="flex" flexWrap="wrap" mt={2} style={{ gap: 8 }}>
        <Button
          variant="outlined"
          disabled={disabled}
          onClick={() => props.onAction({ kind: 'restart', onlyFailed: false })}
        >
          Restart all
        </Button>
        <Button
          variant="outlined"
          disabled={disabled || !somethingFailed}
          title={somethingFailed ? undefined : 'Nothing has failed'}
          onClick={() => props.onAction({ kind: 'restart', onlyFailed: true })}
        >
          Restart failed
        </Button>
        {halted ? (
          <Button
            variant="outlined"
            disabled={disabled}
            onClick={() => props.onAction({ kind: 'resume' })}
          >
            Resume
          </Button>
        ) : (
          <Button
            variant="outlined"
            disabled={disabled}
            onClick={() => props.onAction({ kind: 'pause' })}
          >
            Pause
          </Button>
        )}
        <Button
          variant="outlined"
          color="secondary"
          disabled={disabled || c.state === 'STOPPED'}
          onClick={() => setConfirmStop(true)}
        >
          Stop
        </Button>
      </Box>
      {props.denied && (
        <Typography variant="body2" color="textSecondary">
          You may not manage connectors (archon.connect.connector.manage).
        </Typography>
      )}
      <ConfirmDialog
        open={confirmStop}
        title={`Stop ${c.name}?`}
        confirmLabel="Stop connector"
        danger
        onClose={() => setConfirmStop(false)}
        onConfirm={() => {
          setConfirmStop(false);
          props.onAction({ kind: 'stop' });
        }}
      >
        Its tasks shut down and give up their resources (pause keeps them);
        nothing is read or written until you resume it. Offsets can be changed
        only while it is stopped.
      </ConfirmDialog>
    </InfoCard>
  );
};
