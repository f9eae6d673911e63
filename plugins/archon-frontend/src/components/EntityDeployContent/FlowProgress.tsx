import {
  Box,
  Button,
  LinearProgress,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { InfoCard } from '@backstage/core-components';
import type { DeployFlow } from '@archon/plugin-archon-common';
import type { FlowRun } from './useDeployFlow';

const useStyles = makeStyles(theme => ({
  log: {
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(1),
    maxHeight: 260,
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.85em',
    background: theme.palette.background.default,
  },
  warning: { color: theme.palette.warning.dark },
  time: { color: theme.palette.text.secondary, marginRight: theme.spacing(1) },
}));

/** "succeeded", "failed: <reason>", ... of a finished flow. */
export function outcomeText(flow: DeployFlow): string {
  const reason = flow.outcome?.reason;
  return reason ? `${flow.status}: ${reason}` : flow.status;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

/** The progress of the running (or last) deploy or operation, live. */
export const FlowProgress = (props: {
  run: FlowRun;
  onDismiss: () => void;
}) => {
  const classes = useStyles();
  const { run } = props;
  const flow = run.flow;
  const done = run.phase === 'finished' || run.phase === 'error';
  return (
    <InfoCard
      title={run.title}
      subheader={
        flow
          ? `${flow.kind} ${flow.id} of ${flow.workloadId} on ${flow.instance}`
          : 'Sending the request…'
      }
      action={
        done ? (
          <Box pt={2} pr={2}>
            <Button onClick={props.onDismiss}>Dismiss</Button>
          </Box>
        ) : undefined
      }
    >
      <div data-testid="flow-progress">
        {!done && <LinearProgress aria-label={`${run.title}: in progress`} />}
        {run.phase === 'error' && (
          <Alert severity="error">
            {run.flow ? 'Lost track of it: ' : 'Refused: '}
            {run.error?.message}
          </Alert>
        )}
        {run.phase === 'finished' && flow && (
          <Alert severity={flow.status === 'succeeded' ? 'success' : 'error'}>
            {`${flow.kind} ${outcomeText(flow)}`}
            {flow.releaseId ? ` (release ${flow.releaseId})` : ''}
          </Alert>
        )}
        <Box mt={1}>
          <Typography variant="subtitle2" component="h3">
            Progress ({run.events.length} event
            {run.events.length === 1 ? '' : 's'})
          </Typography>
          <ol
            className={classes.log}
            role="log"
            aria-live="polite"
            aria-label="Deploy progress"
          >
            {run.events.map(e => (
              <li
                key={e.seq}
                className={e.type === 'warning' ? classes.warning : undefined}
              >
                <span className={classes.time}>{time(e.at)}</span>
                {e.message}
              </li>
            ))}
          </ol>
        </Box>
      </div>
    </InfoCard>
  );
};
