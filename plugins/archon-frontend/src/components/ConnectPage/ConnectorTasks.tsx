import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import type { ConnectTask } from '@archon/plugin-archon-common';
import { Trace } from '../common/Trace';
import type { ClusterConnector } from './BulkRestart';
import { ConnectState } from './ConnectState';
import type { ConnectorAction } from './useConnectors';

type Row = ClusterConnector;

const useStyles = makeStyles(theme => ({
  panel: { padding: theme.spacing(1, 3, 2) },
}));

/** A connector's failure and its tasks (state, worker, failure trace), each restartable: the table's detail panel. */
export const ConnectorTasks = ({
  row,
  act,
}: {
  row: Row;
  act: (row: Row, action: ConnectorAction, task?: number) => void;
}) => {
  const classes = useStyles();
  return (
    <Box className={classes.panel}>
      {row.trace && (
        <>
          <Typography variant="subtitle2">Connector failure</Typography>
          <Trace text={row.trace} label={`Failure trace of ${row.name}`} />
        </>
      )}
      {row.tasks.length === 0 && (
        <Typography variant="body2">No tasks.</Typography>
      )}
      {row.tasks.map((t: ConnectTask) => (
        <Box key={t.id} mb={1}>
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            <Typography variant="body2">Task {t.id}</Typography>
            <ConnectState state={t.state} />
            <Typography variant="body2" color="textSecondary">
              {t.workerId ?? ''}
            </Typography>
            <Button size="small" onClick={() => act(row, 'restart-task', t.id)}>
              Restart task {t.id}
            </Button>
          </Box>
          {t.trace && (
            <Trace text={t.trace} label={`Failure trace of task ${t.id}`} />
          )}
        </Box>
      ))}
    </Box>
  );
};
