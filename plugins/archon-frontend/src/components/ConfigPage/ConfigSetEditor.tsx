import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import DeleteIcon from '@material-ui/icons/Delete';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConfigWriteResponse } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { SECRET_MASK } from '../../lib/configPaths';
import { isApiError } from '../../lib/errors';
import { ConflictMerge } from './ConflictMerge';
import { DeleteSetDialog } from './DeleteSetDialog';
import { ImpactReportView } from './ImpactReport';
import { RefusedWriteAlert } from './RefusedWriteAlert';
import {
  loadSet,
  rowStatus,
  saveLabel,
  type LoadedSet,
} from './setEditorModel';
import { useStyles } from './setEditorStyles';
import { SetRow } from './SetRow';
import { useKeyHints } from './useKeyHints';
import { useSetForm } from './useSetForm';

const SetForm = (props: {
  path: string;
  loaded: LoadedSet;
  onSaved: (result: ConfigWriteResponse) => void;
}) => {
  const { path, onSaved } = props;
  const classes = useStyles();
  const {
    base,
    rows,
    preview,
    busy,
    error,
    serverProblems,
    conflict,
    deleteOpen,
    deleteImpact,
    changed,
    dirty,
    clientProblems,
    invalid,
    previewCurrent,
    refused,
    update,
    addRow,
    removeRow,
    discard,
    save,
    runPreview,
    resolveConflict,
    openDelete,
    closeDelete,
    confirmDelete,
    dismissRefused,
  } = useSetForm(path, props.loaded, onSaved);
  const hints = useKeyHints(path);

  if (conflict) {
    return (
      <ConflictMerge
        path={path}
        base={base.properties}
        mine={conflict.mine}
        theirs={conflict.theirs}
        theirsVersion={conflict.theirsVersion}
        theirsExists={conflict.theirsExists}
        message={conflict.message}
        saving={busy === 'save'}
        onSave={merged => resolveConflict.save(conflict, merged)}
        onEdit={merged => resolveConflict.edit(conflict, merged)}
        onCancel={() => resolveConflict.cancel(conflict)}
      />
    );
  }

  return (
    <Box>
      {!base.exists && (
        <Alert severity="info">
          {base.intermediate
            ? `${path} has no set of its own (it only groups the levels below it). `
            : `${path} does not exist yet. `}
          Add keys and save to create its set.
        </Alert>
      )}
      {base.masked && Object.values(base.properties).includes(SECRET_MASK) && (
        <Alert severity="info">
          Secret values are masked ({SECRET_MASK}): you may not read them. Leave
          one as it is to keep it, or type a new value to replace it.
        </Alert>
      )}
      {error && !isApiError(error, 400) && (
        <Box className={classes.section}>
          <ResponseErrorPanel error={error} />
        </Box>
      )}
      {error && isApiError(error, 400) && (
        <Alert severity="error" className={classes.section}>
          The set was not saved: {error.message}
        </Alert>
      )}
      {/* Suggestions for new keys: keys used around this level and the ones archon reads. */}
      <datalist id="config-key-hints">
        {hints.map(h => (
          <option key={h.key} value={h.key} label={h.description} />
        ))}
      </datalist>
      <table
        className={classes.table}
        aria-label={`Configuration set of ${path}`}
      >
        <thead>
          <tr>
            <th>Key</th>
            <th>Value</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={3}>
                <Typography variant="body2" color="textSecondary">
                  No keys. Use “Add key”.
                </Typography>
              </td>
            </tr>
          )}
          {rows.map(r => {
            const problem =
              clientProblems[r.id] ??
              (r.key ? serverProblems[r.key] : undefined);
            const original = base.properties[r.key];
            const status = rowStatus(r, original);
            return (
              <SetRow
                key={r.id}
                r={r}
                problem={problem}
                original={original}
                status={status}
                hints={hints}
                serverProblems={serverProblems}
                update={update}
                remove={removeRow}
              />
            );
          })}
        </tbody>
      </table>
      <Box className={classes.actions}>
        <Button variant="outlined" onClick={addRow}>
          Add key
        </Button>
        <Button
          variant="outlined"
          disabled={!dirty || invalid || !!busy}
          onClick={runPreview}
        >
          Preview changes
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!dirty || invalid || !!busy}
          onClick={save}
        >
          {saveLabel(busy === 'save', base.exists)}
        </Button>
        <Button disabled={!changed || !!busy} onClick={discard}>
          Discard changes
        </Button>
        {base.exists && (
          <Button
            disabled={!!busy}
            onClick={openDelete}
            startIcon={<DeleteIcon />}
          >
            Delete set
          </Button>
        )}
      </Box>
      {refused && (
        <RefusedWriteAlert
          refused={refused}
          onCancel={dismissRefused}
          busy={busy}
        />
      )}
      {busy === 'preview' && <Progress />}
      {previewCurrent && (
        <Box className={classes.section}>
          <Typography variant="h6">Change preview</Typography>
          <ImpactReportView report={previewCurrent} />
        </Box>
      )}
      {preview && !previewCurrent && (
        <Typography
          variant="caption"
          display="block"
          className={classes.section}
        >
          You changed the set after the preview; preview again to see what
          saving changes.
        </Typography>
      )}
      <DeleteSetDialog
        path={path}
        open={deleteOpen}
        impact={deleteImpact}
        deleting={busy === 'delete'}
        onClose={closeDelete}
        onConfirm={confirmDelete}
      />
    </Box>
  );
};

/**
 * Edits one level's set: add, change and remove keys; preview the impact on
 * every path below; save with the version it was read at; on a conflict,
 * merge with the newer set; validation problems shown at their keys.
 */
export const ConfigSetEditor = (props: {
  path: string;
  /** Called after a successful write (to refresh the tree, effective view, history). */
  onSaved?: (result: ConfigWriteResponse) => void;
}) => {
  const { path, onSaved } = props;
  const api = useApi(archonApiRef);
  const [reload, setReload] = useState(0);
  const [notice, setNotice] = useState<string>();
  // The load count keys the form: a render between a save and the reload
  // keeps the old form instead of remounting it with the old set.
  const { value, loading, error } = useAsync(
    async () => ({ set: await loadSet(api, path), n: reload }),
    [api, path, reload],
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <Box>
      {notice && (
        <Alert
          severity="success"
          onClose={() => setNotice(undefined)}
          style={{ marginBottom: 8 }}
        >
          {notice}
        </Alert>
      )}
      <SetForm
        key={`${path}:${value.n}`}
        path={path}
        loaded={value.set}
        onSaved={result => {
          setNotice(
            result.version === undefined
              ? `Deleted the set of ${path}.`
              : `Saved ${path} (version ${result.version}); changed: ${
                  result.changedKeys.join(', ') || 'nothing'
                }.`,
          );
          setReload(r => r + 1);
          onSaved?.(result);
        }}
      />
    </Box>
  );
};
