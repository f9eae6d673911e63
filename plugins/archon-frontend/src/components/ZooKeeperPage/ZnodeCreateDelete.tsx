import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

const childPath = (parent: string, name: string) =>
  parent === '/' ? `/${name}` : `${parent}/${name}`;

/** "New znode…": a child of the selected znode with text data. */
export const CreateZnodeDialog = (props: {
  ensemble: string;
  parent: string;
  onClose: () => void;
  onCreated: (path: string) => void;
}) => {
  const api = useApi(archonApiRef);
  const [name, setName] = useState('');
  const [data, setData] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const path = childPath(props.parent, name.trim());
  const invalid = !name.trim() || name.includes('/');

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await unwrap(
        api.zooKeeperCreateZnode({
          path: { ensemble: props.ensemble, znodePath: path },
          query: {},
          body: { data: { text: data } },
        }),
      );
      props.onCreated(created.path);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="create-znode-title"
    >
      <DialogTitle id="create-znode-title">
        New znode under {props.parent}
      </DialogTitle>
      <DialogContent>
        <TextField
          id="znode-name"
          label="Name"
          fullWidth
          margin="dense"
          value={name}
          error={name.includes('/')}
          helperText={
            name.includes('/') ? 'One segment: no "/"' : `Creates ${path}`
          }
          onChange={e => setName(e.target.value)}
        />
        <TextField
          id="znode-new-data"
          label="Data (text, may be empty)"
          fullWidth
          multiline
          minRows={3}
          margin="dense"
          variant="outlined"
          value={data}
          onChange={e => setData(e.target.value)}
        />
        {error && <ResponseErrorPanel error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={invalid || busy}
          onClick={create}
        >
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
};

/**
 * "Delete…": shows how many znodes go (the subtree's count, which the
 * delete is checked against) and needs the path typed to confirm.
 */
export const DeleteZnodeDialog = (props: {
  ensemble: string;
  path: string;
  version: number;
  onClose: () => void;
  onDeleted: () => void;
}) => {
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const count = useAsync(async () => {
    const doc = await unwrap(
      api.zooKeeperExportSubtree({
        path: { ensemble: props.ensemble, znodePath: props.path },
        query: {},
      }),
    );
    return doc.nodeCount ?? 1;
  }, [api, props.ensemble, props.path]);

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        api.zooKeeperDeleteZnode({
          path: { ensemble: props.ensemble, znodePath: props.path },
          query: {
            expectedVersion: props.version,
            ...(count.value! > 1
              ? { recursive: true, expectedCount: count.value }
              : {}),
          },
        }),
      );
      props.onDeleted();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="delete-znode-title"
    >
      <DialogTitle id="delete-znode-title">Delete {props.path}?</DialogTitle>
      <DialogContent>
        {count.loading && <Progress />}
        {count.error && <ResponseErrorPanel error={count.error} />}
        {count.value !== undefined && (
          <Alert severity="warning" data-testid="delete-count">
            {count.value === 1
              ? `Deletes ${props.path} (version ${props.version}).`
              : `Deletes ${props.path} and everything below it: ${count.value} znodes.`}
          </Alert>
        )}
        <Typography variant="body2" style={{ marginTop: 16 }}>
          Type the path to confirm.
        </Typography>
        <TextField
          id="znode-delete-confirm"
          label="Path"
          fullWidth
          margin="dense"
          value={typed}
          onChange={e => setTyped(e.target.value)}
        />
        {error && <ResponseErrorPanel error={error} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={typed !== props.path || count.value === undefined || busy}
          onClick={remove}
        >
          {count.value && count.value > 1
            ? `Delete ${count.value} znodes`
            : 'Delete'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
