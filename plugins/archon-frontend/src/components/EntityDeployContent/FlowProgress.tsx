import {
  Box,
  Button,
  LinearProgress,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
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

/**
 * Cancels the orchestrator's change behind a flow: while it runs, or after
 * archon recorded a failure or timeout while the orchestrator still deploys
 * (the server answers 409 when nothing runs any more).
 */
const CancelFlow = ({ flow }: { flow: DeployFlow }) => {
  const api = useApi(archonApiRef);
  const [state, setState] = useState<{
    busy?: boolean;
    message?: string;
    error?: string;
  }>({});
  const cancel = async () => {
    setState({ busy: true });
    try {
      const result = await unwrap(
        api.cancelDeployment({ path: { id: flow.id }, body: {} }),
      );
      const rollback = result.rollbackRef?.deploymentId;
      setState({
        message: `Cancelled${
          rollback ? `; Marathon rolls back in deployment ${rollback}` : ''
        }`,
      });
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  };
  return (
    <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        size="small"
        disabled={state.busy || !!state.message}
        onClick={cancel}
        aria-label={`Cancel ${flow.kind} ${flow.id}`}
      >
        Cancel{' '}
        {flow.status === 'running' ? flow.kind : 'the Marathon deployment'}
      </Button>
      {state.message && (
        <Typography variant="body2">{state.message}</Typography>
      )}
      {state.error && (
        <Typography variant="body2" color="error">
          {state.error}
        </Typography>
      )}
    </Box>
  );
};

/** The progress of the running (or last) deploy or operation, live. */
export const FlowProgress = (props: {
  run: FlowRun;
  onDismiss: () => void;
}) => {
  const classes = useStyles();
  const { run } = props;
  const flow = run.flow;
  const done =
    run.phase === 'finished' ||
    run.phase === 'error' ||
    run.phase === 'unreachable';
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
        {run.phase === 'unreachable' && (
          <Alert severity="warning">Outcome unknown: {run.unreachable}</Alert>
        )}
        {run.phase === 'finished' && flow && (
          <Alert severity={flow.status === 'succeeded' ? 'success' : 'error'}>
            {`${flow.kind} ${outcomeText(flow)}`}
            {flow.releaseId ? ` (release ${flow.releaseId})` : ''}
          </Alert>
        )}
        {flow?.ref?.deploymentId && flow.status !== 'succeeded' && (
          <CancelFlow key={flow.id} flow={flow} />
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
                className={
                  e.type === 'warning' || e.type === 'unreachable'
                    ? classes.warning
                    : undefined
                }
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
