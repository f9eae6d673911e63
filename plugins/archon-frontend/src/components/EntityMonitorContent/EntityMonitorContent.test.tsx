import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  appEntity,
  errorBody,
  healthHandler,
  renderArchon,
  sseResponse,
} from '../../__testUtils__';
import { EntityMonitorContent } from './EntityMonitorContent';

const APP = '/team/svc-1';
const APP_URL = `${BASE}/marathon/local/apps/team%2Fsvc-1`;

const entity: Entity = {
  ...appEntity({
    'archon.io/config-path': APP,
    'archon.io/marathon-instance': 'local',
    'archon.io/marathon-app-id': APP,
  }),
  relations: [
    { type: 'archonConsumesFrom', targetRef: 'resource:default/local.orders' },
  ],
};

const topicEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'local.orders',
    namespace: 'default',
    annotations: {
      'archon.io/kafka-cluster': 'local',
      'archon.io/kafka-topic': 'orders',
    },
  },
  spec: { type: 'kafka-topic', owner: 'team' },
};

const summary = {
  id: APP,
  status: 'unhealthy',
  instances: 2,
  staged: 0,
  running: 2,
  healthy: 1,
  unhealthy: 1,
  releaseId: 'rel-2',
  deployments: ['d-1'],
};

const detail = {
  summary,
  definition: {},
  tasks: [
    {
      id: 'team_svc-1.t1',
      appId: APP,
      host: '127.0.0.1',
      ports: [31001],
      state: 'TASK_RUNNING',
      healthy: true,
      startedAt: '2026-11-25T01:00:00.000Z',
      version: 'v1',
    },
    {
      id: 'team_svc-1.t2',
      appId: APP,
      host: '127.0.0.1',
      ports: [31002],
      state: 'TASK_RUNNING',
      healthy: false,
      startedAt: '2026-11-25T01:00:00.000Z',
      version: 'v1',
    },
  ],
  deployments: [
    {
      id: 'd-1',
      currentStep: 1,
      totalSteps: 2,
      currentActions: [{ action: 'RestartApplication', app: APP }],
    },
  ],
  lastTaskFailure: {
    taskId: 'team_svc-1.t0',
    host: '127.0.0.1',
    state: 'TASK_FAILED',
    message: 'exit code 1',
    timestamp: '2026-11-25T00:59:00.000Z',
  },
};

describe('EntityMonitorContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows tasks, failure, deployment, stuck queue, Kafka use, live events and task logs', async () => {
    const user = userEvent.setup({ delay: null });
    const logReads: string[] = [];
    let eventStreams = 0;
    server.use(
      healthHandler(),
      http.get(APP_URL, () => HttpResponse.json(detail)),
      http.get(`${APP_URL}/queue`, () =>
        HttpResponse.json({
          appId: APP,
          queued: true,
          count: 1,
          delay: { timeLeftSeconds: 30, overdue: false },
          reasons: [
            { reason: 'InsufficientMemory', declined: 3, processed: 3 },
          ],
          explanation: ['No offer has enough memory: the app asks 4096 MB.'],
        }),
      ),
      // The feed reconnects when a stream ends (on a slow machine within
      // this test): the event comes with the first connection only.
      http.get(`${APP_URL}/events`, () =>
        sseResponse([
          { event: 'attached', data: { instance: 'local', appId: APP } },
          ...(eventStreams++ === 0
            ? [
                {
                  event: 'status_update_event',
                  data: {
                    taskStatus: 'TASK_FAILED',
                    taskId: 'team_svc-1.t0',
                    timestamp: '2026-11-25T00:59:00.000Z',
                  },
                },
              ]
            : []),
        ]),
      ),
      http.get(`${BASE}/kafka/local/topics/orders/usage`, () =>
        HttpResponse.json({
          topic: 'orders',
          consumerGroups: [{ groupId: 'svc-1', state: 'Stable', lag: 1234 }],
          connectors: [
            {
              connectCluster: 'local',
              name: 'orders-sink',
              type: 'sink',
              state: 'FAILED',
            },
          ],
          clients: [],
        }),
      ),
      http.get(`${APP_URL}/tasks`, ({ request }) =>
        HttpResponse.json(
          new URL(request.url).searchParams.get('state') === 'terminated'
            ? {
                items: [
                  {
                    id: 'team_svc-1.t0',
                    appId: '/team/svc-1',
                    host: '127.0.0.1',
                    state: 'TASK_FAILED',
                    message: 'Command exited with status 1',
                    exitStatus: 1,
                    finishedAt: '2026-11-25T01:00:00.000Z',
                  },
                ],
                total: 1,
              }
            : { items: [] },
        ),
      ),
      http.get(`${APP_URL}/tasks/:taskId/logs`, ({ request, params }) => {
        const q = new URL(request.url).searchParams;
        if (params.taskId === 'team_svc-1.t0')
          return HttpResponse.json({
            taskId: 'team_svc-1.t0',
            file: q.get('file'),
            offset: 0,
            nextOffset: 5,
            size: 5,
            data: q.get('file') === 'stderr' ? 'boom\n' : '',
          });
        logReads.push(
          `${q.get('follow') ? 'follow ' : ''}tail ${q.get('tail')} (${
            request.headers.get('accept') ?? ''
          })`,
        );
        return sseResponse([
          {
            event: 'log',
            data: {
              taskId: 't1',
              file: 'stdout',
              offset: 0,
              nextOffset: 12,
              size: 12,
              data: 'hello world\n',
            },
          },
          {
            event: 'log',
            data: { offset: 12, nextOffset: 21, data: 'followed\n' },
          },
        ]);
      }),
    );
    await renderArchon(
      <EntityProvider entity={entity}>
        <EntityMonitorContent />
      </EntityProvider>,
      { entities: [topicEntity] },
    );

    expect(await screen.findByText('team_svc-1.t1')).toBeInTheDocument();
    expect(
      screen.getByText('1 healthy of 2 wanted', { exact: false }),
    ).toBeInTheDocument();
    const rows = screen.getAllByRole('row');
    expect(
      rows.find(r => r.textContent?.includes('team_svc-1.t1')),
    ).toHaveTextContent('healthy');
    expect(
      rows.find(r => r.textContent?.includes('team_svc-1.t2')),
    ).toHaveTextContent('unhealthy');
    expect(screen.getByLabelText('Last task failure')).toHaveTextContent(
      'team_svc-1.t0 on 127.0.0.1 ended TASK_FAILED — exit code 1',
    );
    expect(
      screen.getByRole('list', { name: 'Deployments in progress' }),
    ).toHaveTextContent('d-1: step 1 of 2 (RestartApplication /team/svc-1)');

    const queue = await screen.findByTestId('launch-queue');
    expect(queue).toHaveTextContent('1 instance waiting to launch');
    expect(
      within(queue).getByRole('list', { name: 'Why it does not launch' }),
    ).toHaveTextContent('enough memory');
    expect(queue).toHaveTextContent('InsufficientMemory (3 of 3)');

    const kafka = await screen.findByRole('region', { name: 'Topic orders' });
    expect(
      await within(kafka).findByText(
        'consumer group svc-1 (Stable): lag 1,234',
      ),
    ).toBeInTheDocument();
    expect(kafka).toHaveTextContent('connector orders-sink on local:');
    expect(within(kafka).getByText('FAILED')).toBeInTheDocument();

    // The crashed task is gone from the list, but how it ended and its stderr are shown.
    const lastFailure = await screen.findByTestId('last-failure');
    expect(lastFailure).toHaveTextContent(
      'team_svc-1.t0 ended TASK_FAILED with exit status 1',
    );
    expect(
      await screen.findByLabelText('stderr of the last finished task'),
    ).toHaveTextContent('boom');

    const feed = screen.getByRole('log', { name: 'Marathon events' });
    expect(
      await within(feed).findByText(
        /status_update_event taskStatus=TASK_FAILED taskId=team_svc-1.t0/,
      ),
    ).toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Logs of team_svc-1.t1' }),
    );
    const log = await screen.findByLabelText('stdout of team_svc-1.t1');
    // The tail, then what the server pushes while following (TaskLogs.test.tsx covers the stream).
    await waitFor(() => expect(log).toHaveTextContent('hello world followed'));
    expect(logReads[0]).toBe('follow tail 16384 (text/event-stream)');
  });

  it('names Marathon when it is unreachable and keeps the rest of the tab', async () => {
    server.use(
      healthHandler([
        {
          kind: 'marathon',
          name: 'local',
          status: 'unreachable',
          latencyMs: 1,
          error: 'connect ECONNREFUSED',
        },
      ]),
      http.get(APP_URL, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
      http.get(`${APP_URL}/tasks`, () => HttpResponse.json({ items: [] })),
      http.get(`${APP_URL}/queue`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
      http.get(`${APP_URL}/events`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
    );
    await renderArchon(
      <EntityProvider entity={{ ...entity, relations: [] }}>
        <EntityMonitorContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(/Marathon "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/Marathon "local" does not answer/)).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByText(
        'Its configuration names no Kafka topic the catalog knows.',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText(/reconnecting/)).toBeInTheDocument();
  });

  it('shows a suspended app with nothing queued', async () => {
    server.use(
      healthHandler(),
      http.get(APP_URL, () =>
        HttpResponse.json({
          summary: {
            ...summary,
            status: 'suspended',
            instances: 0,
            running: 0,
            healthy: 0,
            unhealthy: 0,
            deployments: [],
          },
          definition: {},
          tasks: [],
          deployments: [],
        }),
      ),
      http.get(`${APP_URL}/tasks`, () => HttpResponse.json({ items: [] })),
      http.get(`${APP_URL}/queue`, () =>
        HttpResponse.json({
          appId: APP,
          queued: false,
          reasons: [],
          explanation: [],
        }),
      ),
      // Marathon stops answering after the feed attached: archon's error
      // frame says why the feed reconnects, and is not listed as an event.
      http.get(`${APP_URL}/events`, () =>
        sseResponse([
          { event: 'attached', data: {} },
          {
            event: 'error',
            data: {
              system: 'marathon',
              instance: 'local',
              message:
                'Marathon instance "local" stopped answering; this stream ends, reconnect to resume',
            },
          },
        ]),
      ),
    );
    await renderArchon(
      <EntityProvider entity={{ ...entity, relations: [] }}>
        <EntityMonitorContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No tasks run (suspended).'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('event-feed-state')).toHaveTextContent(
        'reconnecting (Marathon instance "local" stopped answering',
      ),
    );
    expect(screen.getByText('No deployment in progress.')).toBeInTheDocument();
    expect(
      await screen.findByText('Nothing waits to launch.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No events since this page opened.'),
    ).toBeInTheDocument();
  });
});
