import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AddIcon from '@material-ui/icons/Add';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonConnectConnectorManagePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ConnectorConfigEditor } from '../EntityConnectorContent/ConnectorConfigEditor';
import { useClusterPermission } from '../common/useClusterPermission';

/** Why a connector name is not allowed, or undefined (the API's rule). */
export function connectorNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a name';
  if (name.length > 255) return 'At most 255 characters';
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(name))
    return 'No "/", "\\" or control characters';
  return undefined;
}

/** `org.apache.kafka.connect.file.FileStreamSinkConnector` → `FileStreamSinkConnector`. */
const simpleName = (cls: string) => cls.slice(cls.lastIndexOf('.') + 1);

/**
 * Creates a connector: the Connect cluster, one of its installed plugins, a
 * name, then the config (prefilled with the plugin class and one task) with
 * Connect's validation shown per field, before and on creation.
 */
export const CreateConnectorDialog = (props: {
  clusters: string[];
  open: boolean;
  onClose: () => void;
  onCreated: (cluster: string, name: string) => void;
}) => {
  const api = useApi(archonApiRef);
  const [chosenCluster, setCluster] = useState<string>();
  const cluster = chosenCluster ?? props.clusters[0] ?? '';
  // Decided per Connect cluster (#20).
  const permission = usePermission({
    permission: archonConnectConnectorManagePermission,
    resourceRef: clusterResourceRef('connect', cluster),
  });
  const [pluginClass, setPluginClass] = useState('');
  const [name, setName] = useState('');
  const plugins = useAsync(async () => {
    if (!props.open || !cluster) return [];
    const answer = await unwrap(api.connectListPlugins({ path: { cluster } }));
    return answer.items;
  }, [api, cluster, props.open]);
  const nameProblem = connectorNameProblem(name);

  let disabledReason: string | undefined;
  if (permission.loading) disabledReason = 'Checking your permissions…';
  else if (!permission.allowed)
    disabledReason = `You may not create connectors on ${cluster} (archon.connect.connector.manage).`;
  else if (nameProblem) disabledReason = 'Name the connector first.';

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="create-connector-title"
    >
      <DialogTitle id="create-connector-title">Add a connector</DialogTitle>
      <DialogContent>
        <Box display="flex" style={{ gap: 16 }}>
          <TextField
            select
            id="create-connector-cluster"
            label="Connect cluster"
            margin="normal"
            style={{ minWidth: 200 }}
            value={cluster}
            onChange={e => {
              setCluster(e.target.value);
              setPluginClass('');
            }}
          >
            {props.clusters.map(c => (
              <MenuItem key={c} value={c}>
                {c}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="create-connector-name"
            label="Name"
            margin="normal"
            required
            fullWidth
            value={name}
            error={name !== '' && !!nameProblem}
            helperText={
              (name !== '' && nameProblem) || 'Unique on the Connect cluster'
            }
            onChange={e => setName(e.target.value)}
          />
        </Box>
        {plugins.loading && <Progress />}
        {plugins.error && (
          <Alert severity="error">
            Could not list the plugins of {cluster}: {plugins.error.message}
          </Alert>
        )}
        {plugins.value && plugins.value.length === 0 && !plugins.loading && (
          <Alert severity="warning">
            No connector plugin is installed on {cluster}.
          </Alert>
        )}
        {plugins.value && plugins.value.length > 0 && (
          <TextField
            select
            id="create-connector-plugin"
            label="Connector plugin"
            margin="normal"
            fullWidth
            value={pluginClass}
            helperText="Installed on the Connect cluster's workers"
            onChange={e => setPluginClass(e.target.value)}
          >
            {plugins.value.map(p => (
              <MenuItem key={p.class} value={p.class}>
                {simpleName(p.class)} ({p.type}
                {p.version ? ` ${p.version}` : ''}) — {p.class}
              </MenuItem>
            ))}
          </TextField>
        )}
        {pluginClass ? (
          <Box mt={2}>
            <ConnectorConfigEditor
              key={`${cluster}/${pluginClass}`}
              cluster={cluster}
              name={name}
              initialConfig={{
                'connector.class': pluginClass,
                'tasks.max': '1',
              }}
              saveLabel="Create connector"
              disabledReason={disabledReason}
              onSave={async config => {
                await unwrap(
                  api.connectCreateConnector({
                    path: { cluster },
                    body: { name, config },
                  }),
                );
                props.onCreated(cluster, name);
                setName('');
                setPluginClass('');
                return `Created ${name} on ${cluster}.`;
              }}
            />
          </Box>
        ) : (
          <Typography variant="body2" color="textSecondary">
            Choose a plugin to edit the config.
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
      </DialogActions>
    </Dialog>
  );
};

/** "Add connector" (for those who may manage connectors): opens {@link CreateConnectorDialog}, closed once created. */
export const AddConnectorButton = (props: {
  clusters: string[];
  onCreated: (cluster: string, name: string) => void;
}) => {
  const [open, setOpen] = useState(false);
  // The dialog offers the clusters where connectors may be managed.
  const permission = useClusterPermission(
    archonConnectConnectorManagePermission,
    'connect',
    props.clusters,
  );
  const clusters = props.clusters.filter(c => permission.allowed.has(c));
  return (
    <>
      <Button
        variant="contained"
        color="primary"
        startIcon={<AddIcon />}
        disabled={clusters.length === 0}
        title={
          permission.loading || clusters.length > 0
            ? undefined
            : 'Needs the archon.connect.connector.manage permission'
        }
        onClick={() => setOpen(true)}
      >
        Add connector
      </Button>
      <CreateConnectorDialog
        clusters={clusters}
        open={open}
        onClose={() => setOpen(false)}
        onCreated={(cluster, name) => {
          setOpen(false);
          props.onCreated(cluster, name);
        }}
      />
    </>
  );
};
