import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { Trace } from '../common/Trace';
import type { ClusterConnector } from './BulkRestart';

/** The failure traces of a connector and of its failed tasks, one click from the list. */
export const FailureTraceDialog = (props: {
  row: ClusterConnector;
  onClose: () => void;
}) => {
  const { row } = props;
  const failed = row.tasks.filter(t => t.state === 'FAILED');
  return (
    <Dialog
      open
      maxWidth="lg"
      fullWidth
      onClose={props.onClose}
      aria-labelledby="connector-failure-title"
    >
      <DialogTitle id="connector-failure-title">
        Failures of {row.name} on {row.cluster}
      </DialogTitle>
      <DialogContent>
        {row.trace && (
          <>
            <Typography variant="subtitle2">Connector</Typography>
            <Trace text={row.trace} label={`Failure trace of ${row.name}`} />
          </>
        )}
        {failed.map(t => (
          <div key={t.id}>
            <Typography variant="subtitle2">
              Task {t.id}
              {t.workerId ? ` on ${t.workerId}` : ''}
            </Typography>
            {t.trace ? (
              <Trace text={t.trace} label={`Failure trace of task ${t.id}`} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                Connect gave no trace.
              </Typography>
            )}
          </div>
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
};
