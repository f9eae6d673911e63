import { useMemo, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ConfigBrokenPath,
  ConfigChangePreview,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { apiPath } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';
import {
  baseAfterConflict,
  emptyRow,
  loadSet,
  patchOf,
  problemsByKey,
  propsOf,
  rowProblems,
  rowsOf,
  rowsOfMerge,
  theirsVersion,
  type Conflict,
  type LoadedSet,
  type Props,
  type Row,
} from './setEditorModel';

/**
 * The state and actions of the set editor's form: the rows being edited,
 * the patch they make, the impact preview, saving (with the merge on a
 * conflict) and deleting.
 */
export function useSetForm(
  path: string,
  loaded: LoadedSet,
  onSaved: (result: ConfigWriteResponse) => void,
) {
  const api = useApi(archonApiRef);
  const [base, setBase] = useState<LoadedSet>(loaded);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(loaded.properties));
  const [preview, setPreview] = useState<{
    report: ConfigChangePreview;
    forPatch: string;
  }>();
  const [busy, setBusy] = useState<'preview' | 'save' | 'delete'>();
  const [error, setError] = useState<Error>();
  const [serverProblems, setServerProblems] = useState<Record<string, string>>(
    {},
  );
  const [conflict, setConflict] = useState<Conflict>();
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleteImpact, setDeleteImpact] = useState<ConfigChangePreview>();
  /** A write refused because it would break these paths; "save anyway" retries it with force. */
  const [refused, setRefused] = useState<{
    brokenPaths: ConfigBrokenPath[];
    retry: () => void;
  }>();

  const current = propsOf(rows);
  const patch = useMemo(
    () => patchOf(base.properties, current),
    [base.properties, current],
  );
  const patchKey = JSON.stringify(patch);
  const changed = Object.keys(patch.set).length > 0 || patch.unset.length > 0;
  const dirty = changed || !base.exists;

  const clientProblems = rowProblems(rows);
  const invalid = Object.keys(clientProblems).length > 0;
  const previewCurrent =
    preview && preview.forPatch === patchKey ? preview.report : undefined;

  const update = (id: number, change: Partial<Row>) => {
    setRows(rs => rs.map(r => (r.id === id ? { ...r, ...change } : r)));
    setServerProblems({});
  };

  const addRow = () => setRows(rs => [...rs, emptyRow()]);

  /** A new row goes; a loaded key is marked removed (restorable until saved). */
  const removeRow = (row: Row) =>
    row.isNew
      ? setRows(rs => rs.filter(x => x.id !== row.id))
      : update(row.id, { removed: true });

  const discard = () => {
    setRows(rowsOf(base.properties));
    setPreview(undefined);
    setError(undefined);
    setServerProblems({});
  };

  /** Turns a failed write into a merge view, the paths it would break, inline problems, or an error. */
  const fail = (e: unknown, mine: Props, retryForced?: () => void) => {
    const brokenPaths = isApiError(e, 422)
      ? (
          e.body?.error?.details as
            | { brokenPaths?: ConfigBrokenPath[] }
            | undefined
        )?.brokenPaths
      : undefined;
    if (brokenPaths && retryForced) {
      setRefused({ brokenPaths, retry: retryForced });
      return;
    }
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
    force = false,
  ) => {
    setBusy('save');
    setError(undefined);
    setServerProblems({});
    setRefused(undefined);
    try {
      const result = await unwrap(
        api.patchConfigSet({
          path: { configPath: apiPath(path) },
          query: {},
          body: {
            set,
            ...(unset.length ? { unset } : {}),
            expectedVersion,
            ...(force ? { force: true } : {}),
          },
        }),
      );
      onSaved(result);
    } catch (e) {
      fail(
        e,
        mine,
        force
          ? undefined
          : () => write(set, unset, expectedVersion, mine, true),
      );
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

  /** The merge view's three ways out: save the merge, edit it further, or drop the edit. */
  const resolveConflict = {
    save: (c: Conflict, merged: Props) => {
      const p = patchOf(c.theirs, merged);
      setConflict(undefined);
      write(p.set, p.unset, theirsVersion(c), merged);
    },
    edit: (c: Conflict, merged: Props) => {
      setBase(baseAfterConflict(c, base.masked, 'edit'));
      setRows(rowsOfMerge(merged, c.theirs));
      setPreview(undefined);
      setConflict(undefined);
    },
    cancel: (c: Conflict) => {
      setBase(baseAfterConflict(c, base.masked, 'cancel'));
      setRows(rowsOf(c.theirs));
      setPreview(undefined);
      setConflict(undefined);
    },
  };

  const runPreview = async () => {
    setBusy('preview');
    setError(undefined);
    try {
      const report = await unwrap(
        api.previewConfigChange({
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
          api.previewConfigChange({
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
            // The dialog showed what breaks and the button said "Delete anyway".
            ...(deleteImpact?.startsFailing.length ? { force: true } : {}),
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

  return {
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
    closeDelete: () => setDeleteOpen(false),
    confirmDelete,
    dismissRefused: () => setRefused(undefined),
  };
}
