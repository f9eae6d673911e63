import { Box, Button, Checkbox } from '@material-ui/core';
import type { TableColumn } from '@backstage/core-components';
import { MaybeEntityLink } from '../common/EntityLink';
import { connectorKeyOf, type ClusterConnector } from './BulkRestart';
import { ConnectState } from './ConnectState';
import type { ConnectorAction } from './useConnectors';

type Row = ClusterConnector;

/** The Connect page's columns: select, cluster, connector (linked to its entity), type, state, tasks, worker, actions. */
export function connectorColumns({
  selected,
  toggle,
  refs,
  busy,
  act,
}: {
  selected: Set<string>;
  toggle: (r: Row) => void;
  refs: Map<string, string>;
  busy: string | undefined;
  act: (row: Row, action: ConnectorAction, task?: number) => void;
}): TableColumn<Row>[] {
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
  return columns;
}
