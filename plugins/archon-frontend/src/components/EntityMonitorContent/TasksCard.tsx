import { Box, Button, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  type TableColumn,
} from '@backstage/core-components';
import type {
  MarathonAppDetail,
  MarathonTask,
} from '@archon/plugin-archon-common';
import { AppState } from '../common/AppStatusLine';
import { ArchonTable, Identifier } from '../common/ArchonTable';

/** A task's health: healthy, unhealthy, or its state when it has no health checks (yet). */
export const TaskHealth = ({ task }: { task: MarathonTask }) => {
  if (task.healthy === true) return <StatusOK>healthy</StatusOK>;
  if (task.healthy === false) return <StatusError>unhealthy</StatusError>;
  if (task.state === 'TASK_RUNNING')
    return <StatusWarning>no health check</StatusWarning>;
  return <StatusPending>{task.state}</StatusPending>;
};

function when(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

interface TaskFailure {
  taskId?: string;
  message?: string;
  state?: string;
  host?: string;
  timestamp?: string;
}

/** The app's last task failure: which task, when, why. */
export const LastFailure = ({
  failure,
}: {
  failure?: Record<string, unknown>;
}) => {
  if (!failure) return null;
  const f = failure as TaskFailure;
  return (
    <Alert severity="warning" aria-label="Last task failure">
      Last task failure {when(f.timestamp)}: {f.taskId} on {f.host} ended{' '}
      {f.state}
      {f.message ? ` — ${f.message}` : ''}
    </Alert>
  );
};

interface Deployment {
  id?: string;
  currentStep?: number;
  totalSteps?: number;
  currentActions?: Array<{
    action?: string;
    app?: string;
    readinessCheckResults?: unknown[];
  }>;
}

/** Marathon deployments of the app still in progress, with their step. */
export const DeploymentsInFlight = ({
  deployments,
}: {
  deployments: Array<Record<string, unknown>>;
}) => {
  if (deployments.length === 0) {
    return <Typography variant="body2">No deployment in progress.</Typography>;
  }
  return (
    <ul aria-label="Deployments in progress">
      {deployments.map(raw => {
        const d = raw as Deployment;
        const actions = (d.currentActions ?? [])
          .map(a => `${a.action} ${a.app ?? ''}`.trim())
          .join(', ');
        return (
          <li key={d.id}>
            <code>{d.id}</code>: step {d.currentStep} of {d.totalSteps}
            {actions ? ` (${actions})` : ''}
          </li>
        );
      })}
    </ul>
  );
};

/** The app's tasks with their health, its deployments in progress and last failure. */
export const TasksCard = (props: {
  app: MarathonAppDetail;
  onShowLogs?: (task: MarathonTask) => void;
  canReadLogs: boolean;
}) => {
  const { app } = props;
  const s = app.summary;
  const columns: TableColumn<MarathonTask>[] = [
    {
      title: 'Task',
      field: 'id',
      // Task ids are long (app id + UUID): one line, cut, copyable.
      render: t => <Identifier text={t.id} maxWidth="24ch" />,
    },
    { title: 'Health', render: t => <TaskHealth task={t} /> },
    {
      title: 'State',
      field: 'state',
      render: t => <Identifier text={t.state} copy={false} />,
    },
    {
      title: 'Host',
      render: t =>
        `${t.host ?? '—'}${t.ports?.length ? `:${t.ports.join(',')}` : ''}`,
    },
    { title: 'Started', render: t => when(t.startedAt ?? t.stagedAt) },
    {
      title: 'Version',
      field: 'version',
      render: t => (
        <Identifier text={t.version ?? '—'} maxWidth="20ch" copy={false} />
      ),
    },
    {
      title: 'Logs',
      sorting: false,
      cellStyle: { whiteSpace: 'nowrap' },
      render: t => (
        <Button
          size="small"
          disabled={!props.canReadLogs}
          aria-label={`Logs of ${t.id}`}
          onClick={() => props.onShowLogs?.(t)}
        >
          Logs
        </Button>
      ),
    },
  ];
  return (
    <InfoCard
      title="Tasks"
      subheader={`${s.id}: ${s.healthy} healthy of ${s.instances} wanted, ${s.running} running`}
    >
      <Box display="flex" alignItems="center" style={{ gap: 12 }} mb={1}>
        <AppState state={s.status} />
        {s.releaseId && (
          <Typography variant="body2">
            Release <code>{s.releaseId}</code>
          </Typography>
        )}
      </Box>
      <LastFailure failure={app.lastTaskFailure} />
      {app.tasks.length === 0 ? (
        <Typography variant="body2">
          No tasks run{s.instances === 0 ? ' (suspended)' : ''}.
        </Typography>
      ) : (
        <ArchonTable<MarathonTask>
          title={`${app.tasks.length} task${app.tasks.length === 1 ? '' : 's'}`}
          options={{
            paging: app.tasks.length > 10,
            pageSize: 10,
            search: false,
          }}
          columns={columns}
          data={app.tasks}
        />
      )}
      <Box mt={2}>
        <Typography variant="subtitle2" component="h3">
          Deployments in flight
        </Typography>
        <DeploymentsInFlight deployments={app.deployments} />
      </Box>
    </InfoCard>
  );
};
