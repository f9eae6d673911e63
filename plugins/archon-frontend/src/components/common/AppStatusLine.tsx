import { Box, Typography } from '@material-ui/core';
import type { DeployAppStatus } from '@archon/plugin-archon-common';
import { StateMark } from './StateMark';

/**
 * archon's app state word (archon-common `ArchonAppState`), drawn as the
 * Pipelines page draws the app's node: `healthy` filled green, `running`
 * (no health checks) a green outline.
 */
export const AppState = ({ state }: { state: string }) => (
  <StateMark state={state} />
);

/** "healthy — 2 of 2 running, 2 healthy — release r-… — 1 deployment in progress". */
export const AppStatusLine = ({ status }: { status: DeployAppStatus }) => (
  <Box
    display="flex"
    alignItems="center"
    flexWrap="wrap"
    style={{ gap: 16 }}
    data-testid="app-status"
  >
    <AppState state={status.state} />
    {status.exists ? (
      <>
        <Typography variant="body2">
          {status.id} on {status.instance}: {status.running} of{' '}
          {status.instances} running, {status.healthy} healthy
          {status.unhealthy ? `, ${status.unhealthy} unhealthy` : ''}
          {status.staged ? `, ${status.staged} staged` : ''}
        </Typography>
        <Typography variant="body2">
          Release:{' '}
          {status.releaseId ? (
            <code>{status.releaseId}</code>
          ) : (
            'none (not deployed by archon)'
          )}
        </Typography>
        {status.deployments.length > 0 && (
          <Typography variant="body2">
            {status.deployments.length} deployment
            {status.deployments.length === 1 ? '' : 's'} in progress
          </Typography>
        )}
      </>
    ) : (
      <Typography variant="body2">
        {status.id} does not run on {status.instance}.
      </Typography>
    )}
  </Box>
);
