import { useState } from 'react';
import { Box, LinearProgress, Typography, makeStyles } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ConnectConnector,
  ConnectRestartResult,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { SimpleTable } from '../common/SimpleTable';

/** A connector of one Connect cluster. */
export type ClusterConnector = ConnectConnector & { cluster: string };

/** The outcome of one connector's restart. */
export interface RestartResult {
  key: string;
  cluster: string;
  name: string;
  state: 'waiting' | 'restarting' | 'restarted' | 'failed';
  text: string;
}

export const connectorKeyOf = (c: { cluster: string; name: string }) =>
  `${c.cluster}/${c.name}`;

const failedTaskIds = (c: ConnectConnector) =>
  c.tasks.filter(t => t.state === 'FAILED').map(t => t.id);

/** What Connect answered, in words: which tasks it is restarting. */
function restartedText(answer: ConnectRestartResult): string {
  const restarting = (answer.status?.tasks ?? [])
    .filter(t => t.state === 'RESTARTING')
    .map(t => t.id);
  return restarting.length
    ? `restarting task${restarting.length === 1 ? '' : 's'} ${restarting.join(
        ', ',
      )}`
    : 'restart requested (no task was failed any more)';
}

const useStyles = makeStyles(theme => ({
  failed: { color: theme.palette.error.main },
  restarted: { color: theme.palette.success.main },
}));

/**
 * Restarts only the failed tasks of the given connectors (Connect's
 * `restart?includeTasks=true&onlyFailed=true` through archon's route, which
 * checks the permission and writes the audit), one after another after a
 * confirmation, with progress and each connector's result.
 */
export const BulkRestartDialog = (props: {
  connectors: ClusterConnector[];
  onClose: () => void;
  onDone: () => void;
}) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [results, setResults] = useState<RestartResult[]>();
  const running = results?.some(
    r => r.state === 'waiting' || r.state === 'restarting',
  );
  const done = results?.filter(
    r => r.state === 'restarted' || r.state === 'failed',
  ).length;

  const set = (key: string, change: Partial<RestartResult>) =>
    setResults(list =>
      list?.map(r => (r.key === key ? { ...r, ...change } : r)),
    );

  const start = async () => {
    const targets = props.connectors;
    setResults(
      targets.map(c => ({
        key: connectorKeyOf(c),
        cluster: c.cluster,
        name: c.name,
        state: 'waiting',
        text: 'waiting',
      })),
    );
    // One at a time: a cluster rebalances on each restart, and the results
    // then arrive in the order the list shows.
    for (const c of targets) {
      const key = connectorKeyOf(c);
      set(key, { state: 'restarting', text: 'restarting…' });
      try {
        const answer = await unwrap(
          api.connectRestartConnector({
            path: { cluster: c.cluster, name: c.name },
            query: { includeTasks: true, onlyFailed: true },
          }),
        );
        set(key, { state: 'restarted', text: restartedText(answer) });
      } catch (e) {
        set(key, { state: 'failed', text: (e as Error).message });
      }
    }
    props.onDone();
  };

  const rows = results ?? [];
  return (
    <ConfirmDialog
      open
      title={`Restart the failed tasks of ${props.connectors.length} connector${
        props.connectors.length === 1 ? '' : 's'
      }?`}
      confirmLabel={results ? 'Restarted' : 'Restart failed tasks'}
      disabled={Boolean(results) || props.connectors.length === 0}
      onConfirm={start}
      onClose={running ? () => {} : props.onClose}
    >
      {!results && (
        <>
          <Typography variant="body2" gutterBottom>
            Only tasks that are FAILED restart; running tasks and the connectors
            themselves keep running.
          </Typography>
          <SimpleTable<ClusterConnector>
            label="Connectors to restart"
            rows={props.connectors}
            rowKey={connectorKeyOf}
            columns={[
              { title: 'Cluster', render: c => c.cluster },
              { title: 'Connector', render: c => c.name },
              {
                title: 'Failed tasks',
                render: c => failedTaskIds(c).join(', ') || 'none right now',
              },
            ]}
          />
        </>
      )}
      {results && (
        <>
          <Box mb={1}>
            <Typography variant="body2" role="status">
              {running
                ? `Restarting: ${done} of ${rows.length} done`
                : `Done: ${
                    rows.filter(r => r.state === 'restarted').length
                  } restarted, ${
                    rows.filter(r => r.state === 'failed').length
                  } failed`}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={rows.length ? ((done ?? 0) * 100) / rows.length : 100}
            />
          </Box>
          <SimpleTable<RestartResult>
            label="Restart results"
            rows={rows}
            rowKey={r => r.key}
            columns={[
              { title: 'Cluster', render: r => r.cluster },
              { title: 'Connector', render: r => r.name },
              {
                title: 'Result',
                render: r => (
                  <span
                    className={
                      {
                        failed: classes.failed,
                        restarted: classes.restarted,
                        waiting: undefined,
                        restarting: undefined,
                      }[r.state]
                    }
                  >
                    {r.text}
                  </span>
                ),
              },
            ]}
          />
        </>
      )}
    </ConfirmDialog>
  );
};
