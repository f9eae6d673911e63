import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  Tab,
  Tabs,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { LinkButton, ResponseErrorPanel } from '@backstage/core-components';
import type {
  ZooKeeperData,
  ZooKeeperStat,
  ZooKeeperZnode,
} from '@archon/plugin-archon-common';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { archonApiRef } from '../../api';
import { configRouteRef } from '../../routes';
import { ConfirmZnodeSave } from './ConfirmZnodeSave';
import { isApiError, unwrap } from '../../lib/errors';
import {
  bytesOfData,
  dataInputOf,
  defaultView,
  renderView,
  type DataView,
} from './znodeDraft';

const useStyles = makeStyles(theme => ({
  editor: { fontFamily: 'monospace', fontSize: '0.85em' },
  theirs: {
    fontFamily: 'monospace',
    fontSize: '0.8em',
    whiteSpace: 'pre-wrap',
    maxHeight: 240,
    overflow: 'auto',
    background: theme.palette.background.default,
    padding: theme.spacing(1),
  },
}));

interface Conflict {
  stat: ZooKeeperStat;
  data: ZooKeeperData;
}

/** A znode's data in a text, JSON or hex view, saved only over the version it was read at. */
export const ZnodeEditor = (props: {
  ensemble: string;
  znode: ZooKeeperZnode;
  canWrite: boolean;
  /** Why the caller may not write here, when it is not the raw-write permission (e.g. the ensemble's). */
  refusal?: string;
  onSaved: () => void;
}) => {
  const { ensemble, znode } = props;
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [view, setView] = useState<DataView>(defaultView(znode.data));
  const original = renderView(bytesOfData(znode.data), view);
  const [draft, setDraft] = useState(original ?? '');
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [conflict, setConflict] = useState<Conflict>();
  const [saved, setSaved] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const configPage = useRouteRef(configRouteRef);

  useEffect(() => {
    setDraft(renderView(bytesOfData(znode.data), view) ?? '');
    setProblem(undefined);
  }, [znode, view]);

  const switchView = (next: DataView) => {
    if (renderView(bytesOfData(znode.data), next) === undefined) {
      setProblem(`The data is not UTF-8 text: it has no ${next} view.`);
      return;
    }
    if (draft !== original) {
      setProblem('Save or revert your change before switching views.');
      return;
    }
    setView(next);
  };

  const save = async (expectedVersion: number) => {
    setSaving(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const data = dataInputOf(draft, view);
      const result = await unwrap(
        api.zooKeeperSetZnodeData({
          path: { ensemble, znodePath: znode.path },
          query: {},
          body: { data, expectedVersion },
        }),
      );
      setConflict(undefined);
      setSaved(
        `Saved ${znode.path} (version ${
          result.stat?.version ?? expectedVersion + 1
        }).`,
      );
      props.onSaved();
    } catch (e) {
      const current = isApiError(e, 409)
        ? (e.body?.error?.current as Conflict | undefined)
        : undefined;
      if (current?.stat && current.data) setConflict(current);
      else setError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  /** Validates the draft, then asks (with the diff) before anything is written. */
  const trySave = () => {
    try {
      dataInputOf(draft, view);
    } catch (e) {
      setProblem((e as Error).message);
      return;
    }
    setConfirming(true);
  };

  const theirs = conflict
    ? renderView(bytesOfData(conflict.data), view) ??
      renderView(bytesOfData(conflict.data), 'hex')
    : undefined;
  return (
    <Box>
      <Tabs
        value={view}
        onChange={(_, v) => switchView(v)}
        indicatorColor="primary"
        aria-label="Data view"
      >
        <Tab value="text" label="Text" />
        <Tab value="json" label="JSON" />
        <Tab value="hex" label="Hex" />
      </Tabs>
      {original === undefined ? (
        <Typography variant="body2">This view cannot show the data.</Typography>
      ) : (
        <TextField
          id="znode-data"
          label={`Data of ${znode.path} (${view}, version ${znode.stat.version}, ${znode.data.size} bytes)`}
          multiline
          minRows={6}
          maxRows={24}
          fullWidth
          variant="outlined"
          margin="normal"
          value={draft}
          InputProps={{ className: classes.editor, readOnly: !props.canWrite }}
          onChange={e => {
            setDraft(e.target.value);
            setProblem(undefined);
            setSaved(undefined);
          }}
        />
      )}
      {problem && <Alert severity="warning">{problem}</Alert>}
      <Box display="flex" style={{ gap: 8 }} my={1}>
        {znode.configPath ? (
          // A configuration level is edited where its writes are checked and recorded.
          <LinkButton
            variant="contained"
            color="primary"
            to={
              configPage
                ? `${configPage()}?path=${encodeURIComponent(znode.configPath)}`
                : '#'
            }
          >
            Edit on the Configuration page
          </LinkButton>
        ) : (
          <Button
            variant="contained"
            color="primary"
            disabled={!props.canWrite || saving || draft === original}
            onClick={trySave}
          >
            Save…
          </Button>
        )}
        <Button
          disabled={draft === original}
          onClick={() => setDraft(original ?? '')}
        >
          Revert
        </Button>
        {!props.canWrite && (
          <Typography variant="body2" color="textSecondary">
            {props.refusal ?? 'You may not change znodes.'}
          </Typography>
        )}
      </Box>
      {confirming && (
        <ConfirmZnodeSave
          path={znode.path}
          version={znode.stat.version}
          before={original ?? ''}
          after={draft}
          saving={saving}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await save(znode.stat.version);
            setConfirming(false);
          }}
        />
      )}
      {saved && <Alert severity="success">{saved}</Alert>}
      {error && <ResponseErrorPanel error={error} />}
      {conflict && (
        <Box data-testid="znode-conflict">
          <Alert severity="warning">
            Someone changed {znode.path} since you opened it: it is at version{' '}
            {conflict.stat.version} now, not {znode.stat.version}. Their value:
          </Alert>
          <pre className={classes.theirs} aria-label="The newer value">
            {theirs}
          </pre>
          <Box display="flex" style={{ gap: 8 }}>
            <Button
              variant="outlined"
              onClick={() => {
                setConflict(undefined);
                props.onSaved();
              }}
            >
              Discard mine, load theirs
            </Button>
            <Button
              variant="outlined"
              color="secondary"
              disabled={saving}
              onClick={() => save(conflict.stat.version)}
            >
              Overwrite with mine
            </Button>
          </Box>
        </Box>
      )}
    </Box>
  );
};
