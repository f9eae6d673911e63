import type {
  MarathonAppDetail,
  MarathonQueueStatus,
  MarathonTask,
} from '@archon/plugin-archon-common';
import type { AppRef } from './appLookup';
import { formatFields, formatTable, type Colors } from './output';

export function statusColor(status: string, colors: Colors): string {
  if (status === 'healthy' || status === 'running') return colors.green(status);
  if (status === 'crash-looping' || status === 'missing')
    return colors.red(status);
  if (status === 'degraded' || status === 'deploying')
    return colors.yellow(status);
  return status;
}

/** A task's health checks: `-` without any. */
function healthOf(task: MarathonTask, colors: Colors): string {
  if (task.healthy === undefined) return '-';
  return task.healthy ? colors.green('healthy') : colors.red('unhealthy');
}

/** `host:port,port` of a task. */
export function hostPorts(task: MarathonTask): string {
  return `${task.host ?? ''}${
    task.ports?.length ? `:${task.ports.join(',')}` : ''
  }`;
}

/** Tasks as a table; with `version`, the app version each runs. */
export function formatTasks(
  tasks: MarathonTask[],
  colors: Colors,
  options: { version?: boolean } = {},
): string {
  return formatTable(
    [
      'task',
      'state',
      'host:ports',
      'started',
      'health',
      ...(options.version ? ['version'] : []),
    ],
    tasks.map(t => [
      t.id,
      t.state,
      hostPorts(t),
      t.startedAt ?? t.stagedAt ?? '',
      healthOf(t, colors),
      ...(options.version ? [t.version ?? ''] : []),
    ]),
    { colors },
  );
}

/** Marathon's last task failure in one line: when, the final state, why. */
export function describeFailure(
  failure: Record<string, any> | undefined,
): string | undefined {
  if (!failure) return undefined;
  const f = failure as { message?: string; state?: string; timestamp?: string };
  return `${f.timestamp ?? ''} ${f.state ?? ''} ${f.message ?? ''}`.trim();
}

export function formatApp(
  ref: AppRef,
  detail: MarathonAppDetail,
  colors: Colors,
) {
  const s = detail.summary;
  return [
    formatFields(
      [
        ['app', s.id],
        ['instance', ref.instance],
        ['status', statusColor(s.status, colors)],
        [
          'tasks',
          `${s.running}/${s.instances} running, ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.staged} staged`,
        ],
        ['config path', s.configPath ?? '- (not deployed by archon)'],
        ['release', s.releaseId],
        ['version', s.version],
        [
          'deployments',
          s.deployments.length ? s.deployments.join(', ') : undefined,
        ],
        ['last failure', describeFailure(detail.lastTaskFailure)],
      ],
      colors,
    ),
    '',
    detail.tasks.length ? formatTasks(detail.tasks, colors) : 'no tasks',
  ].join('\n');
}

export function formatQueue(
  queue: MarathonQueueStatus,
  colors: Colors,
): string {
  if (!queue.queued) return `${queue.appId} is not waiting to launch anything`;
  const delay = queue.delay?.timeLeftSeconds
    ? `, launch delay ${Math.ceil(queue.delay.timeLeftSeconds)} s left`
    : '';
  return [
    `${queue.appId}: ${queue.count ?? '?'} waiting to launch${
      queue.since ? ` since ${queue.since}` : ''
    }${delay}`,
    ...queue.explanation.map(e => `  ${colors.yellow(e)}`),
    ...(queue.reasons.length
      ? [
          '',
          formatTable(
            ['reason', 'declined', 'processed', 'explanation'],
            queue.reasons.map(r => [
              r.reason,
              r.declined,
              r.processed,
              r.explanation,
            ]),
            { colors, alignRight: [1, 2] },
          ),
        ]
      : []),
  ].join('\n');
}

/** One Marathon event in a few words (the event type names it; this adds the facts). */
export function describeMarathonEvent(
  type: string,
  e: Record<string, any>,
): string {
  switch (type) {
    case 'status_update_event':
      return `task ${e.taskId} ${e.taskStatus}${
        e.host
          ? ` on ${e.host}${e.ports?.length ? `:${e.ports.join(',')}` : ''}`
          : ''
      }${e.message ? ` (${e.message})` : ''}`;
    case 'health_status_changed_event':
      return `${e.instanceId ?? e.taskId} ${e.alive ? 'healthy' : 'unhealthy'}`;
    case 'failed_health_check_event':
      return `health check failed for ${e.taskId ?? e.instanceId}`;
    case 'unhealthy_task_kill_event':
    case 'unhealthy_instance_kill_event':
      return `killed unhealthy ${e.taskId ?? e.instanceId}${
        e.reason ? `: ${e.reason}` : ''
      }`;
    case 'deployment_info':
    case 'deployment_step_success':
    case 'deployment_step_failure': {
      const step = e.currentStep?.actions
        ?.map((a: { action?: string; app?: string }) => `${a.action} ${a.app}`)
        .join(', ');
      return `deployment ${e.plan?.id ?? ''}${step ? `: ${step}` : ''}`;
    }
    case 'deployment_success':
    case 'deployment_failed':
      return `deployment ${e.id ?? e.plan?.id ?? ''}`;
    default:
      return e.appId ?? e.runSpecId ?? '';
  }
}
