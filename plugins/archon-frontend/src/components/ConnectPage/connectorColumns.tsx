import { Box, Button, Checkbox, Tooltip } from '@material-ui/core';
import type { TableColumn } from '@backstage/core-components';
import { Identifier, WhereLine } from '../common/ArchonTable';
import { MaybeEntityLink } from '../common/EntityLink';
import { connectorKeyOf, type ClusterConnector } from './BulkRestart';
import { ConnectorState } from './ConnectState';
import type { ConnectorAction } from './useConnectors';

type Row = ClusterConnector;

/** `org.apache.kafka.connect.file.FileStreamSinkConnector` → `FileStreamSinkConnector`. */
export function shortClassName(className: string): string {
  return className.slice(className.lastIndexOf('.') + 1);
}

/**
 * The Connect page's columns: select, cluster, connector (linked to its
 * entity), class, type, state (the graph's word), tasks running/failed (a
 * failure's traces one click away), active topics, actions.
 */
export function connectorColumns({
  selected,
  toggle,
  refs,
  busy,
  act,
  showFailure,
  showCluster,
}: {
  selected: Set<string>;
  toggle: (r: Row) => void;
  refs: Map<string, string>;
  busy: string | undefined;
  act: (row: Row, action: ConnectorAction, task?: number) => void;
  /** Opens the traces of the connector's failure and its failed tasks. */
  showFailure: (r: Row) => void;
  /** More than one Connect cluster is configured. */
  showCluster: boolean;
}): TableColumn<Row>[] {
  const columns: TableColumn<Row>[] = [
    {
      // No header text: the checkbox's own label names the row, and the
      // word "Select" alone made the column wider than the table could spare.
      title: '',
      width: '48px',
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
    {
      title: 'Connector',
      field: 'name',
      // Several clusters: each name says its cluster on a line below, not in
      // a column of its own (the list measured 124 px too wide at 1440x900
      // with a Cluster column beside MirrorMaker's connectors).
      render: r => (
        <>
          <Identifier text={r.name} maxWidth="22ch" copy={false}>
            <MaybeEntityLink
              entityRef={refs.get(`${r.cluster}/${r.name}`)}
              text={r.name}
            />
          </Identifier>
          {showCluster && (
            <WhereLine where={r.cluster} testId="connector-cluster" />
          )}
        </>
      ),
    },
    {
      title: 'Class',
      width: '150px',
      customSort: (a, b) =>
        (a.config['connector.class'] ?? '').localeCompare(
          b.config['connector.class'] ?? '',
        ),
      render: r => {
        const full = r.config['connector.class'];
        if (!full) return '—';
        return (
          <Tooltip title={full}>
            <span
              style={{
                display: 'inline-block',
                maxWidth: '18ch',
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                whiteSpace: 'nowrap',
                verticalAlign: 'bottom',
              }}
              data-class={full}
            >
              {shortClassName(full)}
            </span>
          </Tooltip>
        );
      },
    },
    { title: 'Type', field: 'type', width: '64px' },
    {
      title: 'State',
      field: 'state',
      width: '110px',
      render: r => (
        <ConnectorState state={r.state} failedTasks={r.failedTasks} />
      ),
    },
    {
      title: 'Tasks',
      width: '130px',
      sorting: false,
      render: r => {
        const running = r.tasks.filter(t => t.state === 'RUNNING').length;
        const failed = r.failedTasks ?? 0;
        // The "N failed" button goes under the count when both do not fit on
        // one line (a failing row made the table 90 px too wide at 1440x900);
        // with the name at 22ch and Actions at 184 px it fits.
        return (
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ columnGap: 4 }}
          >
            <span style={{ whiteSpace: 'nowrap' }}>
              {running}/{r.tasks.length} running
            </span>
            {(failed > 0 || r.trace) && (
              <Button
                size="small"
                color="secondary"
                style={{ whiteSpace: 'nowrap' }}
                onClick={() => showFailure(r)}
                aria-label={`Failure traces of ${r.name}`}
              >
                {failed > 0 ? `${failed} failed` : 'connector failed'}
              </Button>
            )}
          </Box>
        );
      },
    },
    {
      title: 'Topics',
      sorting: false,
      render: r =>
        r.activeTopics?.length ? (
          <Identifier
            text={r.activeTopics.join(', ')}
            copy={false}
            maxWidth="16ch"
          />
        ) : (
          <Tooltip
            title={
              r.activeTopics
                ? 'No active topics yet'
                : 'Connect did not say in time'
            }
          >
            <span>—</span>
          </Tooltip>
        ),
    },
    {
      title: 'Actions',
      width: '184px',
      sorting: false,
      render: r => {
        const b = busy === `${r.cluster}/${r.name}`;
        return (
          <Box display="flex" style={{ gap: 4, whiteSpace: 'nowrap' }}>
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
  return columns;
}
