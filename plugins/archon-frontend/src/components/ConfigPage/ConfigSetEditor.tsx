import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  IconButton,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import DeleteIcon from '@material-ui/icons/Delete';
import RestoreIcon from '@material-ui/icons/Restore';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ArchonApiClient,
  ConfigImpactReport,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { apiPath, keyProblem, SECRET_MASK } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';
import { ConflictMerge } from './ConflictMerge';
import { ImpactReportView } from './ImpactReport';

type Props = Record<string, string>;

/** A level's set as the editor starts from. */
export interface LoadedSet {
  /** A set exists at the level. */
  exists: boolean;
  /** The level exists as an intermediate level (children, no set). */
  intermediate: boolean;
  properties: Props;
  /** The version to write with: the set's, the intermediate znode's, or -1. */
  version: number;
  masked: boolean;
}

/** The set of a level; a level without a set (or no level) loads as empty. */
export async function loadSet(
  api: ArchonApiClient,
  path: string,
): Promise<LoadedSet> {
  try {
    const set = await unwrap(
      api.getConfigSet({ path: { configPath: apiPath(path) }, query: {} }),
    );
    return {
      exists: true,
      intermediate: false,
      properties: set.properties,
      version: set.version,
      masked: !!set.masked,
    };
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
  }
  try {
    const node = await unwrap(
      api.getConfigTree({ query: { prefix: path, depth: 0 } }),
    );
    return {
      exists: false,
      intermediate: true,
      properties: {},
      version: node.version ?? -1,
      masked: false,
    };
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
    return {
      exists: false,
      intermediate: false,
      properties: {},
      version: -1,
      masked: false,
    };
  }
}

/** The patch turning `base` into `next`. */
export function patchOf(
  base: Props,
  next: Props,
): { set: Props; unset: string[] } {
  const set: Props = {};
  for (const [k, v] of Object.entries(next)) if (base[k] !== v) set[k] = v;
  const unset = Object.keys(base)
    .filter(k => !(k in next))
    .sort();
  return { set, unset };
}

const PROBLEM_START = /(Invalid configuration key |The value of key )/g;

/**
 * Splits the backend's 400 message ("Invalid configuration set for "/p":
 * problem; problem") into the problem of each key it names.
 */
export function problemsByKey(
  message: string,
  keys: string[],
): Record<string, string> {
  const starts: number[] = [];
  for (const m of message.matchAll(PROBLEM_START)) starts.push(m.index ?? 0);
  const problems = starts.map((start, i) =>
    message
      .slice(start, i + 1 < starts.length ? starts[i + 1] : undefined)
      .replace(/[;\s]+$/, ''),
  );
  const out: Record<string, string> = {};
  for (const key of keys) {
    const quoted = JSON.stringify(
      key.length > 64 ? `${key.slice(0, 64)}…` : key,
    );
    const problem = problems.find(
      p =>
        p.startsWith(`Invalid configuration key ${quoted}`) ||
        p.startsWith(`The value of key ${quoted}`),
    );
    if (problem) out[key] = problem;
  }
  return out;
}

interface Row {
  id: number;
  key: string;
  value: string;
  /** Added in this edit (its key is editable). */
  isNew: boolean;
  removed: boolean;
}

let nextRowId = 1;

function rowStatus(r: Row, original: string | undefined): string | undefined {
  if (r.removed) return 'removed';
  if (r.isNew || original === undefined) return 'new';
  if (original !== r.value) return 'changed';
  return undefined;
}

function saveLabel(saving: boolean, exists: boolean): string {
  if (saving) return 'Saving…';
  return exists ? 'Save' : 'Create set';
}
function rowsOf(properties: Props): Row[] {
  return Object.keys(properties)
    .sort()
    .map(key => ({
      id: nextRowId++,
      key,
      value: properties[key],
      isNew: false,
      removed: false,
    }));
}

function propsOf(rows: Row[]): Props {
  const out: Props = {};
  for (const r of rows) if (!r.removed && r.key) out[r.key] = r.value;
  return out;
}

const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    '& th, & td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
      verticalAlign: 'top',
    },
    '& th': { fontWeight: 500 },
  },
  keyCell: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
    width: '30%',
    paddingTop: `${theme.spacing(1.5)}px !important`,
  },
  removed: {
    textDecoration: 'line-through',
    color: theme.palette.text.disabled,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
  section: { marginTop: theme.spacing(2) },
  mono: { fontFamily: 'monospace' },
}));

interface Conflict {
  theirs: Props;
  theirsVersion?: number;
  theirsExists: boolean;
  mine: Props;
  message: string;
}

/** The editor of one level's set, once loaded. */
const SetForm = (props: {
  path: string;
  loaded: LoadedSet;
  onSaved: (result: ConfigWriteResponse) => void;
}) => {
  const { path, onSaved } = props;
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [base, setBase] = useState<LoadedSet>(props.loaded);
  const [rows, setRows] = useState<Row[]>(() =>
    rowsOf(props.loaded.properties),
  );
  const [preview, setPreview] = useState<{
    report: ConfigImpactReport;
    forPatch: string;
  }>();
  const [busy, setBusy] = useState<'preview' | 'save' | 'delete'>();
  const [error, setError] = useState<Error>();
  const [serverProblems, setServerProblems] = useState<Record<string, string>>(
    {},
  );
  const [conflict, setConflict] = useState<Conflict>();
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteImpact, setDeleteImpact] = useState<ConfigImpactReport>();

  const current = propsOf(rows);
  const patch = useMemo(
    () => patchOf(base.properties, current),
    [base.properties, current],
  );
  const patchKey = JSON.stringify(patch);
  const changed = Object.keys(patch.set).length > 0 || patch.unset.length > 0;
  const dirty = changed || !base.exists;

  const clientProblems: Record<number, string> = {};
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (r.removed) continue;
    if (r.isNew) {
      const problem = keyProblem(r.key);
      if (problem) clientProblems[r.id] = problem;
    }
    if (r.key && seen.has(r.key))
      clientProblems[r.id] = `"${r.key}" is already in this set`;
    seen.set(r.key, r.id);
  }
  const invalid = Object.keys(clientProblems).length > 0;
  const previewCurrent =
    preview && preview.forPatch === patchKey ? preview.report : undefined;

  const update = (id: number, change: Partial<Row>) => {
    setRows(rs => rs.map(r => (r.id === id ? { ...r, ...change } : r)));
    setServerProblems({});
  };

  /** Turns a failed write into a merge view, inline problems, or an error. */
  const fail = (e: unknown, mine: Props) => {
    if (isApiError(e, 409) && e.body?.error?.current) {
      const cur = e.body.error.current as {
        exists?: boolean;
        properties?: Props;
        version?: number;
      };
      setConflict({
        theirs: cur.properties ?? {},
        theirsVersion: cur.version,
        theirsExists: !!cur.exists,
        mine,
        message: e.message,
      });
      return;
    }
    if (isApiError(e, 400)) {
      setServerProblems(problemsByKey(e.message, Object.keys(mine)));
    }
    setError(e as Error);
  };

  const write = async (
    set: Props,
    unset: string[],
    expectedVersion: number,
    mine: Props,
  ) => {
    setBusy('save');
    setError(undefined);
    setServerProblems({});
    try {
      const result = await unwrap(
        api.patchConfigSet({
          path: { configPath: apiPath(path) },
          query: {},
          body: { set, ...(unset.length ? { unset } : {}), expectedVersion },
        }),
      );
      onSaved(result);
    } catch (e) {
      fail(e, mine);
    } finally {
      setBusy(undefined);
    }
  };

  const save = () => {
    // After a preview, save with the version the impact was computed on.
    write(
      patch.set,
      patch.unset,
      previewCurrent?.basedOnVersion ?? base.version,
      current,
    );
  };

  const runPreview = async () => {
    setBusy('preview');
    setError(undefined);
    try {
      const report = await unwrap(
        api.analyzeConfigImpact({
          path: { configPath: apiPath(path) },
          query: {},
          body: {
            set: patch.set,
            ...(patch.unset.length ? { unset: patch.unset } : {}),
          },
        }),
      );
      const basedOn = report.basedOnVersion ?? -1;
      if ((base.exists || base.intermediate) && basedOn !== base.version) {
        // The set changed since it was opened: merge before anything else.
        const now = await loadSet(api, path);
        setConflict({
          theirs: now.properties,
          theirsVersion: now.version,
          theirsExists: now.exists || now.intermediate,
          mine: current,
          message: `It is now at version ${now.version}; you opened version ${base.version}.`,
        });
        return;
      }
      setPreview({ report, forPatch: patchKey });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  const openDelete = async () => {
    setDeleteOpen(true);
    setDeleteImpact(undefined);
    try {
      setDeleteImpact(
        await unwrap(
          api.analyzeConfigImpact({
            path: { configPath: apiPath(path) },
            query: {},
            body: { delete: true },
          }),
        ),
      );
    } catch (e) {
      setError(e as Error);
      setDeleteOpen(false);
    }
  };

  const confirmDelete = async () => {
    setBusy('delete');
    try {
      const result = await unwrap(
        api.deleteConfigSet({
          path: { configPath: apiPath(path) },
          query: {
            expectedVersion: deleteImpact?.basedOnVersion ?? base.version,
          },
        }),
      );
      setDeleteOpen(false);
      onSaved(result);
    } catch (e) {
      setDeleteOpen(false);
      fail(e, current);
    } finally {
      setBusy(undefined);
    }
  };

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
        onSave={merged => {
          const p = patchOf(conflict.theirs, merged);
          setConflict(undefined);
          write(
            p.set,
            p.unset,
            conflict.theirsExists ? conflict.theirsVersion ?? -1 : -1,
            merged,
          );
        }}
        onEdit={merged => {
          setBase({
            exists:
              conflict.theirsExists && Object.keys(conflict.theirs).length > 0,
            intermediate: conflict.theirsExists,
            properties: conflict.theirs,
            version: conflict.theirsExists ? conflict.theirsVersion ?? -1 : -1,
            masked: base.masked,
          });
          setRows(
            rowsOf(merged).map(r => ({
              ...r,
              isNew: !(r.key in conflict.theirs),
            })),
          );
          setPreview(undefined);
          setConflict(undefined);
        }}
        onCancel={() => {
          setBase({
            exists: conflict.theirsExists,
            intermediate: false,
            properties: conflict.theirs,
            version: conflict.theirsExists ? conflict.theirsVersion ?? -1 : -1,
            masked: base.masked,
          });
          setRows(rowsOf(conflict.theirs));
          setPreview(undefined);
          setConflict(undefined);
        }}
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
              <tr key={r.id}>
                <td className={classes.keyCell}>
                  {r.isNew ? (
                    <TextField
                      value={r.key}
                      size="small"
                      variant="outlined"
                      fullWidth
                      placeholder="key"
                      inputProps={{
                        'aria-label': 'New key',
                        className: classes.mono,
                      }}
                      error={!!problem}
                      helperText={problem}
                      onChange={e => update(r.id, { key: e.target.value })}
                    />
                  ) : (
                    <span className={r.removed ? classes.removed : undefined}>
                      {r.key}
                    </span>
                  )}
                  {status && (
                    <>
                      {' '}
                      <Chip size="small" label={status} />
                    </>
                  )}
                  {!r.isNew && problem && (
                    <Typography variant="caption" color="error" display="block">
                      {problem}
                    </Typography>
                  )}
                </td>
                <td>
                  {r.removed ? (
                    <span className={`${classes.removed} ${classes.mono}`}>
                      {r.value}
                    </span>
                  ) : (
                    <TextField
                      value={r.value}
                      size="small"
                      variant="outlined"
                      fullWidth
                      multiline
                      maxRows={6}
                      inputProps={{
                        'aria-label': r.isNew
                          ? 'Value of the new key'
                          : `Value of ${r.key}`,
                        className: classes.mono,
                      }}
                      error={!r.isNew && !!serverProblems[r.key]}
                      helperText={
                        !r.isNew &&
                        original !== undefined &&
                        original !== r.value
                          ? `was: ${original}`
                          : undefined
                      }
                      onChange={e => update(r.id, { value: e.target.value })}
                    />
                  )}
                </td>
                <td>
                  {r.removed ? (
                    <IconButton
                      size="small"
                      aria-label={`Restore ${r.key}`}
                      title="Restore"
                      onClick={() => update(r.id, { removed: false })}
                    >
                      <RestoreIcon fontSize="small" />
                    </IconButton>
                  ) : (
                    <IconButton
                      size="small"
                      aria-label={r.key ? `Remove ${r.key}` : 'Remove this key'}
                      title="Remove"
                      onClick={() =>
                        r.isNew
                          ? setRows(rs => rs.filter(x => x.id !== r.id))
                          : update(r.id, { removed: true })
                      }
                    >
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Box className={classes.actions}>
        <Button
          variant="outlined"
          onClick={() =>
            setRows(rs => [
              ...rs,
              {
                id: nextRowId++,
                key: '',
                value: '',
                isNew: true,
                removed: false,
              },
            ])
          }
        >
          Add key
        </Button>
        <Button
          variant="outlined"
          disabled={!dirty || invalid || !!busy}
          onClick={runPreview}
        >
          Preview impact
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!dirty || invalid || !!busy}
          onClick={save}
        >
          {saveLabel(busy === 'save', base.exists)}
        </Button>
        <Button
          disabled={!changed || !!busy}
          onClick={() => {
            setRows(rowsOf(base.properties));
            setPreview(undefined);
            setError(undefined);
            setServerProblems({});
          }}
        >
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
      {busy === 'preview' && <Progress />}
      {previewCurrent && (
        <Box className={classes.section}>
          <Typography variant="h6">Impact of saving</Typography>
          <ImpactReportView report={previewCurrent} />
        </Box>
      )}
      {preview && !previewCurrent && (
        <Typography
          variant="caption"
          display="block"
          className={classes.section}
        >
          You changed the set after the preview; preview again to see the
          impact.
        </Typography>
      )}
      <Dialog
        open={deleteOpen}
        onClose={() => setDeleteOpen(false)}
        maxWidth="md"
        fullWidth
        aria-labelledby="delete-set-title"
      >
        <DialogTitle id="delete-set-title">
          Delete the set of {path}?
        </DialogTitle>
        <DialogContent>
          {deleteImpact ? (
            <ImpactReportView report={deleteImpact} />
          ) : (
            <Progress />
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeleteOpen(false)}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={!deleteImpact || busy === 'delete'}
            onClick={confirmDelete}
          >
            Delete set
          </Button>
        </DialogActions>
      </Dialog>
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
