import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { followCursors } from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import type { ClusterConnector } from './BulkRestart';

type Row = ClusterConnector;

export type ConnectorAction = 'restart' | 'pause' | 'resume' | 'restart-task';

/**
 * The Connect page's data and actions: every connector of every Connect
 * cluster (a cluster that cannot be read keeps its error), and restart,
 * pause, resume or a task's restart with the notice it leaves.
 */
export function useConnectors() {
  const api = useApi(archonApiRef);
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();
  const [busy, setBusy] = useState<string>();

  const data = useAsyncRetry(async () => {
    const clusters = await unwrap(api.connectListClusters({}));
    const names = clusters.items.map(c => c.name);
    const results = await Promise.all(
      names.map(async cluster => {
        try {
          // The page groups and bulk-selects across all connectors: read every page.
          const list = await followCursors(cursor =>
            unwrap(
              api.connectListConnectors({
                path: { cluster },
                query: { limit: 1000, ...(cursor ? { cursor } : {}) },
              }),
            ),
          );
          return {
            cluster,
            rows: list.items.map((c): Row => ({ ...c, cluster })),
          };
        } catch (error) {
          return { cluster, rows: [] as Row[], error: error as Error };
        }
      }),
    );
    return { names, results };
  }, [api]);

  const act = async (row: Row, action: ConnectorAction, task?: number) => {
    const path = { cluster: row.cluster, name: row.name };
    const label = `${action === 'restart-task' ? `task ${task} of ` : ''}${
      row.name
    }`;
    setBusy(`${row.cluster}/${row.name}`);
    setNotice(undefined);
    try {
      if (action === 'restart') {
        await unwrap(
          api.connectRestartConnector({
            path,
            query: { includeTasks: true, onlyFailed: false },
          }),
        );
      } else if (action === 'pause') {
        await unwrap(api.connectPauseConnector({ path }));
      } else if (action === 'resume') {
        await unwrap(api.connectResumeConnector({ path }));
      } else {
        await unwrap(
          api.connectRestartTask({ path: { ...path, task: task! } }),
        );
      }
      setNotice({
        severity: 'success',
        text: `Requested ${action.replace('-task', '')} of ${label} on ${
          row.cluster
        }.`,
      });
      data.retry();
    } catch (e) {
      setNotice({
        severity: 'error',
        text: `Could not ${action.replace('-', ' ')} ${label}: ${
          (e as Error).message
        }`,
      });
    } finally {
      setBusy(undefined);
    }
  };

  return { data, act, busy, notice, setNotice };
}
