import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ArchonApiClient } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

export type ConnectorAction =
  | { kind: 'restart'; onlyFailed: boolean }
  | { kind: 'pause' | 'resume' | 'stop' }
  | { kind: 'restart-task'; task: number };

/** "pause of orders-sink", "restart of task 0 of orders-sink", ... for the user's messages. */
export function actionLabel(action: ConnectorAction, name: string): string {
  switch (action.kind) {
    case 'restart':
      return action.onlyFailed
        ? `restart of the failed instances of ${name}`
        : `restart of ${name} and all its tasks`;
    case 'restart-task':
      return `restart of task ${action.task} of ${name}`;
    default:
      return `${action.kind} of ${name}`;
  }
}

/** Sends the action; each answers its own model, and only success or the error matters here. */
async function call(
  api: ArchonApiClient,
  path: { cluster: string; name: string },
  action: ConnectorAction,
): Promise<void> {
  switch (action.kind) {
    case 'restart':
      await unwrap(
        api.connectRestartConnector({
          path,
          query: { includeTasks: true, onlyFailed: action.onlyFailed },
        }),
      );
      return;
    case 'pause':
      await unwrap(api.connectPauseConnector({ path }));
      return;
    case 'resume':
      await unwrap(api.connectResumeConnector({ path }));
      return;
    case 'stop':
      await unwrap(api.connectStopConnector({ path }));
      return;
    default:
      await unwrap(
        api.connectRestartTask({ path: { ...path, task: action.task } }),
      );
  }
}

/**
 * Runs a connector action with its feedback: which one is in flight, then a
 * success or an error naming the action and why it failed (for example a
 * 409 while Connect rebalances). `onDone` reloads what the action changed.
 */
export function useConnectorActions(
  cluster: string,
  name: string,
  onDone: () => void,
) {
  const api = useApi(archonApiRef);
  const [busy, setBusy] = useState<ConnectorAction>();
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();

  const run = async (action: ConnectorAction) => {
    setBusy(action);
    setNotice(undefined);
    try {
      await call(api, { cluster, name }, action);
      setNotice({
        severity: 'success',
        text: `Requested ${actionLabel(action, name)}.`,
      });
      onDone();
    } catch (error) {
      setNotice({
        severity: 'error',
        text: `The ${actionLabel(action, name)} failed: ${
          (error as Error).message
        }`,
      });
    } finally {
      setBusy(undefined);
    }
  };

  return { run, busy, notice, clearNotice: () => setNotice(undefined) };
}
