import { Box, Button, Typography } from '@material-ui/core';
import { InfoCard } from '@backstage/core-components';
import type { ConnectTask } from '@archon/plugin-archon-common';
import { ConnectState } from '../ConnectPage/ConnectState';
import { Trace } from '../common/Trace';
import type { ConnectorAction } from './useConnectorActions';

/** Each task with its state, worker and failure trace, and a restart. */
export const ConnectorTasksCard = (props: {
  tasks: ConnectTask[];
  canManage: boolean;
  busy: boolean;
  onAction: (action: ConnectorAction) => void;
}) => (
  <InfoCard title={`Tasks (${props.tasks.length})`}>
    {props.tasks.length === 0 && (
      <Typography variant="body2">
        No tasks: Connect has not started any (yet), or the connector is
        stopped.
      </Typography>
    )}
    {props.tasks.map(t => (
      <Box key={t.id} mb={1} aria-label={`Task ${t.id}`} role="group">
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          <Typography variant="body2">Task {t.id}</Typography>
          <ConnectState state={t.state} />
          <Typography variant="body2" color="textSecondary">
            {t.workerId ?? 'no worker'}
          </Typography>
          <Button
            size="small"
            disabled={!props.canManage || props.busy}
            onClick={() => props.onAction({ kind: 'restart-task', task: t.id })}
          >
            Restart task {t.id}
          </Button>
        </Box>
        {t.trace && <Trace text={t.trace} label={`Trace of task ${t.id}`} />}
      </Box>
    ))}
  </InfoCard>
);
