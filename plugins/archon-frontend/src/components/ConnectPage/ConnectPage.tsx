import { useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  WarningPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  archonConnectConnectorManagePermission,
  followCursors,
  type ConnectTask,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { MaybeEntityLink } from '../common/EntityLink';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { useCatalogRefs } from '../common/useCatalogRefs';
import { AddConnectorButton } from './CreateConnectorDialog';
import {
  BulkRestartDialog,
  connectorKeyOf,
  type ClusterConnector,
} from './BulkRestart';
import { Trace } from '../common/Trace';

type Row = ClusterConnector;

const useStyles = makeStyles(theme => ({
  panel: { padding: theme.spacing(1, 3, 2) },
}));

/** A Connect state with its status colour. */
export const ConnectState = ({ state }: { state: string }) => {
  switch (state) {
    case 'RUNNING':
      return <StatusOK>{state}</StatusOK>;
    case 'FAILED':
      return <StatusError>{state}</StatusError>;
    case 'PAUSED':
    case 'STOPPED':
      return <StatusAborted>{state}</StatusAborted>;
    case 'UNASSIGNED':
    case 'RESTARTING':
      return <StatusPending>{state}</StatusPending>;
    default:
      return <StatusWarning>{state}</StatusWarning>;
  }
};

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

type Action = 'restart' | 'pause' | 'resume' | 'restart-task';

/**
 * Kafka Connect: the connectors of every configured Connect cluster with
 * their state and tasks (with failure traces), and restart, pause and resume;
 * the failed tasks of selected connectors (or of all) restart in one go.
 * A cluster that cannot be reached is named; the others stay usable.
 */
export const ConnectPage = () => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const [state, setState] = useState('');
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();
  const [busy, setBusy] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<Row[]>();
  const canManage = usePermission({
    permission: archonConnectConnectorManagePermission,
  });
  const refs = useCatalogRefs({
    kind: 'Component',
    type: 'kafka-connector',
    keyOf: connectorKey,
  });

  const data = useAsyncRetry(async () => {
    const clusters = (await unwrap(api.connectListClusters({}))) as {
      items?: Array<{ name: string }>;
    };
    const names = (clusters.items ?? []).map(c => c.name);
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
            rows: list.items.map(c => ({ ...c, cluster })) as Row[],
          };
        } catch (error) {
          return { cluster, rows: [] as Row[], error: error as Error };
        }
      }),
    );
    return { names, results };
  }, [api]);

  const act = async (row: Row, action: Action, task?: number) => {
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

  const allRows = (data.value?.results ?? []).flatMap(r => r.rows);
  const withFailedTasks = allRows.filter(r => (r.failedTasks ?? 0) > 0);
  const selectedRows = allRows.filter(r => selected.has(connectorKeyOf(r)));
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
  const failing = (data.value?.results ?? []).filter(r => r.error);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Select',
      sorting: false,
      render: r => (
        <Checkbox
          size="small"
          checked={selected.has(connectorKeyOf(r))}
          onChange={() => toggle(r)}
          inputProps={{ 'aria-label': `Select ${r.name} on ${r.cluster}` }}
        />
      ),
    },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'Connector',
      field: 'name',
      render: r => (
        <MaybeEntityLink
          entityRef={refs.get(`${r.cluster}/${r.name}`)}
          text={r.name}
        />
      ),
    },
    { title: 'Type', field: 'type' },
    {
      title: 'State',
      field: 'state',
      render: r => <ConnectState state={r.state} />,
    },
    {
      title: 'Tasks',
      render: r => {
        const running = r.tasks.filter(t => t.state === 'RUNNING').length;
        return `${running}/${r.tasks.length} running${
          r.failedTasks ? `, ${r.failedTasks} failed` : ''
        }`;
      },
    },
    { title: 'Worker', render: r => r.workerId ?? '—' },
    {
      title: 'Actions',
      sorting: false,
      render: r => {
        const b = busy === `${r.cluster}/${r.name}`;
        return (
          <Box display="flex" style={{ gap: 4 }}>
            <Button
              size="small"
              variant="outlined"
              disabled={b}
              onClick={() => act(r, 'restart')}
            >
              Restart
            </Button>
            {r.state === 'PAUSED' || r.state === 'STOPPED' ? (
              <Button
                size="small"
                variant="outlined"
                disabled={b}
                onClick={() => act(r, 'resume')}
              >
                Resume
              </Button>
            ) : (
              <Button
                size="small"
                variant="outlined"
                disabled={b}
                onClick={() => act(r, 'pause')}
              >
                Pause
              </Button>
            )}
          </Box>
        );
      },
    },
  ];

  const TaskList = ({ row }: { row: Row }) => (
    <Box className={classes.panel}>
      {row.trace && (
        <>
          <Typography variant="subtitle2">Connector failure</Typography>
          <Trace text={row.trace} label={`Failure trace of ${row.name}`} />
        </>
      )}
      {row.tasks.length === 0 && (
        <Typography variant="body2">No tasks.</Typography>
      )}
      {row.tasks.map((t: ConnectTask) => (
        <Box key={t.id} mb={1}>
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            <Typography variant="body2">Task {t.id}</Typography>
            <ConnectState state={t.state} />
            <Typography variant="body2" color="textSecondary">
              {t.workerId ?? ''}
            </Typography>
            <Button size="small" onClick={() => act(row, 'restart-task', t.id)}>
              Restart task {t.id}
            </Button>
          </Box>
          {t.trace && (
            <Trace text={t.trace} label={`Failure trace of task ${t.id}`} />
          )}
        </Box>
      ))}
    </Box>
  );

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
                disabled={!canManage.allowed || selectedRows.length === 0}
                onClick={() => setBulk(selectedRows)}
              >
                Restart failed tasks of {selectedRows.length} selected…
              </Button>
              <Button
                variant="outlined"
                disabled={!canManage.allowed || withFailedTasks.length === 0}
                onClick={() => setBulk(withFailedTasks)}
              >
                Restart all failed tasks ({withFailedTasks.length} connector
                {withFailedTasks.length === 1 ? '' : 's'})…
              </Button>
            </Box>
            {!canManage.loading && !canManage.allowed && (
              <Typography variant="body2" color="textSecondary" gutterBottom>
                Restarting needs the archon.connect.connector.manage permission.
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
            <Table<Row>
              title={`Connectors (${rows.length})`}
              isLoading={data.loading}
              options={{
                paging: rows.length > 50,
                pageSize: 50,
                search: false,
                padding: 'dense',
              }}
              columns={columns}
              data={rows}
              detailPanel={({ rowData }: { rowData: Row }) => (
                <TaskList row={rowData} />
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
