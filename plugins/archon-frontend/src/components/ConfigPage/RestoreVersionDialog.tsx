import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ConfigBrokenPath,
  ConfigHistoryEntry,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { apiPath } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';
import { loadSet } from './setEditorModel';

/**
 * "Restore this version": the difference between the set as it is now and
 * the version of a history entry, then the restore (a new version with that
 * version's properties). A restore that would break paths below shows them
 * and needs "Restore anyway".
 */
export const RestoreVersionDialog = (props: {
  path: string;
  entry: ConfigHistoryEntry & { version: number };
  onClose: () => void;
  onRestored: (result: ConfigWriteResponse) => void;
}) => {
  const { path, entry, onClose, onRestored } = props;
  const api = useApi(archonApiRef);
  const target = entry.after ?? {};
  const current = useAsync(() => loadSet(api, path), [api, path]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [broken, setBroken] = useState<ConfigBrokenPath[]>();

  const restore = async (force: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await unwrap(
        api.restoreConfigSet({
          path: { configPath: apiPath(path) },
          query: {},
          body: {
            version: entry.version,
            ...(current.value?.exists
              ? { expectedVersion: current.value.version }
              : {}),
            ...(force ? { force: true } : {}),
          },
        }),
      );
      onRestored(result);
    } catch (e) {
      const brokenPaths = isApiError(e, 422)
        ? (
            e.body?.error?.details as
              | { brokenPaths?: ConfigBrokenPath[] }
              | undefined
          )?.brokenPaths
        : undefined;
      if (brokenPaths) setBroken(brokenPaths);
      else setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const now = current.value?.properties ?? {};
  const keys = [...new Set([...Object.keys(now), ...Object.keys(target)])]
    .filter(k => now[k] !== target[k])
    .sort();

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="restore-title"
    >
      <DialogTitle id="restore-title">
        Restore version {entry.version} of {path}?
      </DialogTitle>
      <DialogContent>
        {current.loading && <Progress />}
        {current.error && <ResponseErrorPanel error={current.error} />}
        {error && <ResponseErrorPanel error={error} />}
        {current.value && (
          <>
            <Typography variant="body2" gutterBottom>
              From the set as it is now
              {current.value.exists
                ? ` (version ${current.value.version})`
                : ' (no set)'}{' '}
              to version {entry.version}, written{' '}
              {new Date(entry.createdAt).toLocaleString()} by {entry.actor}:
            </Typography>
            {keys.length === 0 ? (
              <Alert severity="info">
                The set already equals version {entry.version}; restoring
                changes nothing.
              </Alert>
            ) : (
              <table
                aria-label={`Restore version ${entry.version}`}
                style={{ width: '100%' }}
              >
                <thead>
                  <tr>
                    <th align="left">Key</th>
                    <th align="left">Now</th>
                    <th align="left">Version {entry.version}</th>
                  </tr>
                </thead>
                <tbody>
                  {keys.map(k => (
                    <tr key={k}>
                      <td>
                        <code>{k}</code>
                      </td>
                      <td>
                        {k in now ? <code>{now[k]}</code> : <em>(absent)</em>}
                      </td>
                      <td>
                        {k in target ? (
                          <code>{target[k]}</code>
                        ) : (
                          <em>(absent)</em>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {broken && (
          <Alert severity="error" data-testid="restore-refused">
            Restoring would break {broken.length} path
            {broken.length === 1 ? ' that resolves' : 's that resolve'} now:
            <ul>
              {broken.map(b => (
                <li key={b.path}>
                  <code>{b.path}</code> ({b.keys.join(', ')}): {b.reason}
                </li>
              ))}
            </ul>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color={broken ? 'secondary' : 'primary'}
          variant="contained"
          disabled={busy || !current.value}
          onClick={() => restore(!!broken)}
        >
          {broken ? 'Restore anyway' : `Restore version ${entry.version}`}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
