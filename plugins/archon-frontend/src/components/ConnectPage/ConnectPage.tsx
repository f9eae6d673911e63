import { useState } from 'react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useAppSearchParams } from '@backstage/frontend-plugin-api';
import { archonConnectConnectorManagePermission } from '@archon/plugin-archon-common';
import { ArchonTable } from '../common/ArchonTable';
import {
  ALL_CLUSTERS,
  ClusterPicker,
  useClusterParam,
} from '../common/ClusterPicker';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { useClusterPermission } from '../common/useClusterPermission';
import { AddConnectorButton } from './CreateConnectorDialog';
import { connectorColumns } from './connectorColumns';
import { ConnectorTasks } from './ConnectorTasks';
import { FailureTraceDialog } from './FailureTraceDialog';
import { useConnectors } from './useConnectors';
import {
  BulkRestartDialog,
  connectorKeyOf,
  type ClusterConnector,
} from './BulkRestart';

type Row = ClusterConnector;

const connectorKey = (a: Record<string, string>) =>
  a['archon.io/connect-cluster'] && a['archon.io/connector']
    ? `${a['archon.io/connect-cluster']}/${a['archon.io/connector']}`
    : undefined;

const STATES = [
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'UNASSIGNED',
  'RESTARTING',
];

/**
 * Kafka Connect: the connectors of every configured Connect cluster with
 * their state and tasks (with failure traces), and restart, pause and resume;
 * the failed tasks of selected connectors (or of all) restart in one go.
 * A cluster that cannot be reached is named; the others stay usable.
 * `?cluster=` shows one cluster's connectors (all of them by default).
 */
export const ConnectPage = () => {
  // `?state=FAILED` (where the Home page's count links): FAILED connectors
  // and those with a failed task, as the state menu's FAILED shows them.
  const [params] = useAppSearchParams();
  const [state, setState] = useState(
    STATES.includes(params.get('state') ?? '') ? params.get('state')! : '',
  );
  const [filter, setFilter] = useState('');
  const { data, act, busy, notice, setNotice } = useConnectors();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<Row[]>();
  const [failure, setFailure] = useState<Row>();
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'kafka-connector',
    keyOf: connectorKey,
  });

  const picked = useClusterParam(data.value?.names ?? [], { all: 'default' });
  const shown = (data.value?.results ?? []).filter(r =>
    picked.shown.includes(r.cluster),
  );
  const allRows = shown.flatMap(r => r.rows);
  // Decided per Connect cluster (#20): bulk restarts act on the connectors
  // of the clusters where the caller may manage connectors.
  const canManage = useClusterPermission(
    archonConnectConnectorManagePermission,
    'connect',
    shown.map(r => r.cluster),
  );
  // Where the caller may manage nowhere, the buttons stay disabled and count
  // every connector; otherwise they count (and restart) the manageable ones.
  const manageable = (r: Row) =>
    canManage.allowed.size === 0 || canManage.allowed.has(r.cluster);
  const withFailedTasks = allRows.filter(
    r => (r.failedTasks ?? 0) > 0 && manageable(r),
  );
  const selectedRows = allRows.filter(
    r => selected.has(connectorKeyOf(r)) && manageable(r),
  );
  const toggle = (r: Row) =>
    setSelected(keys => {
      const next = new Set(keys);
      if (!next.delete(connectorKeyOf(r))) next.add(connectorKeyOf(r));
      return next;
    });
  const rows = allRows
    .filter(
      r =>
        !state ||
        r.state === state ||
        (state === 'FAILED' && (r.failedTasks ?? 0) > 0),
    )
    .filter(
      r => !filter || r.name.toLowerCase().includes(filter.toLowerCase()),
    );
  const failing = shown.filter(r => r.error);

  const columns = connectorColumns({
    selected,
    toggle,
    refs,
    busy,
    act,
    showFailure: setFailure,
    showCluster: picked.shown.length > 1,
  });

  return (
    <Page themeId="tool">
      <Header
        title="Kafka Connect"
        subtitle="Connectors across all Connect clusters"
      />
      <Content>
        <SystemsDownBanner
          kinds={['kafka-connect']}
          consequence="Its connectors cannot be shown or managed."
        />
        {failing.map(f => (
          <WarningPanel
            key={f.cluster}
            title={`Connect cluster "${f.cluster}" could not be read`}
            message={f.error?.message}
          />
        ))}
        {notice && (
          <Alert
            severity={notice.severity}
            onClose={() => setNotice(undefined)}
            style={{ marginBottom: 16 }}
          >
            {notice.text}
          </Alert>
        )}
        {data.loading && !data.value && <Progress />}
        {data.error && <ResponseErrorPanel error={data.error} />}
        {data.value && data.value.names.length === 0 && (
          <EmptyState
            missing="data"
            title="No Kafka Connect cluster is configured"
            description="Add one under archon.kafkaConnect.clusters in app-config."
          />
        )}
        {data.value && data.value.names.length > 0 && (
          <>
            <ClusterPicker
              label="Connect cluster"
              names={data.value.names}
              value={picked.cluster ?? ALL_CLUSTERS}
              onChange={v => {
                setSelected(new Set());
                picked.select(v);
              }}
              allLabel="All clusters"
            />
            <Box display="flex" style={{ gap: 16 }} mb={2}>
              <TextField
                id="connect-page-filter-connectors"
                label="Filter connectors"
                size="small"
                variant="outlined"
                value={filter}
                onChange={e => setFilter(e.target.value)}
              />
              <TextField
                select
                id="connect-page-state"
                label="State"
                size="small"
                variant="outlined"
                style={{ minWidth: 160 }}
                value={state}
                onChange={e => setState(e.target.value)}
              >
                <MenuItem value="">Any</MenuItem>
                {STATES.map(s => (
                  <MenuItem key={s} value={s}>
                    {s}
                  </MenuItem>
                ))}
              </TextField>
              <Button onClick={data.retry}>Refresh</Button>
              <AddConnectorButton
                clusters={data.value.names}
                onCreated={(cluster, name) => {
                  setNotice({
                    severity: 'success',
                    text: `Created connector ${name} on ${cluster}.`,
                  });
                  data.retry();
                }}
              />
              <Button
                variant="outlined"
                disabled={
                  canManage.allowed.size === 0 || selectedRows.length === 0
                }
                onClick={() => setBulk(selectedRows)}
              >
                Restart failed tasks of {selectedRows.length} selected…
              </Button>
              <Button
                variant="outlined"
                disabled={
                  canManage.allowed.size === 0 || withFailedTasks.length === 0
                }
                onClick={() => setBulk(withFailedTasks)}
              >
                Restart all failed tasks ({withFailedTasks.length} connector
                {withFailedTasks.length === 1 ? '' : 's'})…
              </Button>
            </Box>
            {!canManage.loading && canManage.denied.length > 0 && (
              <Typography variant="body2" color="textSecondary" gutterBottom>
                {canManage.allowed.size === 0
                  ? 'Restarting needs the archon.connect.connector.manage permission.'
                  : `Restarting on ${canManage.denied.join(
                      ', ',
                    )} needs the archon.connect.connector.manage permission there.`}
              </Typography>
            )}
            {bulk && (
              <BulkRestartDialog
                connectors={bulk}
                onClose={() => setBulk(undefined)}
                onDone={() => {
                  setSelected(new Set());
                  data.retry();
                }}
              />
            )}
            {failure && (
              <FailureTraceDialog
                row={failure}
                onClose={() => setFailure(undefined)}
              />
            )}
            <ArchonTable<Row>
              title={`Connectors (${rows.length})`}
              isLoading={data.loading}
              options={{
                paging: rows.length > 50,
                pageSize: 50,
                search: false,
              }}
              columns={columns}
              data={rows}
              detailPanel={({ rowData }: { rowData: Row }) => (
                <ConnectorTasks row={rowData} act={act} />
              )}
              emptyContent={
                <Box p={2}>No connectors{state || filter ? ' match' : ''}.</Box>
              }
            />
          </>
        )}
      </Content>
    </Page>
  );
};
