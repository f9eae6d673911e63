import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  BASE,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { ConnectPage } from './ConnectPage';

const connector = (name: string, state: string, extra: object = {}) => ({
  name,
  type: 'sink',
  state,
  workerId: 'worker-1:8083',
  tasks: [{ id: 0, state: 'RUNNING', workerId: 'worker-1:8083' }],
  failedTasks: 0,
  config: {},
  ...extra,
});

describe('ConnectPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists connectors of every cluster with class, type, state word, tasks and topics, shows failure traces, names the cluster that fails, and acts on a connector', async () => {
    const user = userEvent.setup({ delay: null });
    const actions: string[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({
          items: [
            { name: 'main', url: 'http://c:8083' },
            { name: 'broken', url: 'http://b:8083' },
          ],
        }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({
          items: [
            connector('orders-sink', 'FAILED', {
              config: {
                'connector.class':
                  'org.apache.kafka.connect.file.FileStreamSinkConnector',
              },
              activeTopics: ['orders', 'payments'],
              failedTasks: 1,
              tasks: [
                {
                  id: 0,
                  state: 'FAILED',
                  workerId: 'worker-1:8083',
                  trace:
                    'org.apache.kafka.connect.errors.ConnectException: boom',
                },
              ],
            }),
            connector('audit-source', 'PAUSED', {
              type: 'source',
              activeTopics: null,
            }),
          ],
          total: 2,
        }),
      ),
      http.get(`${BASE}/connect/broken/connectors`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Kafka Connect "broken" is unreachable',
        ),
      ),
      http.post(
        `${BASE}/connect/main/connectors/:name/:action`,
        ({ params, request }) => {
          actions.push(
            `${params.action} ${params.name}${new URL(request.url).search}`,
          );
          return HttpResponse.json({}, { status: 202 });
        },
      ),
      http.post(
        `${BASE}/connect/main/connectors/:name/tasks/:task/restart`,
        ({ params }) => {
          actions.push(`restart task ${params.task} of ${params.name}`);
          return HttpResponse.json({}, { status: 202 });
        },
      ),
    );
    await renderArchon(<ConnectPage />);

    expect(await screen.findByText('Connectors (2)')).toBeInTheDocument();
    expect(
      screen.getByText(/Connect cluster "broken" could not be read/),
    ).toBeInTheDocument();
    const row = (name: string) => screen.getByText(name).closest('tr')!;
    expect(
      within(row('orders-sink')).getByText('0/1 running'),
    ).toBeInTheDocument();
    // Class by its short name (the full one in the tooltip), type, the graph's state word, topics.
    expect(
      within(row('orders-sink')).getByText('FileStreamSinkConnector'),
    ).toHaveAttribute(
      'data-class',
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
    );
    expect(row('orders-sink')).toHaveTextContent('sink');
    expect(within(row('orders-sink')).getByText('failed')).toBeInTheDocument();
    expect(
      within(row('audit-source')).getByText('stopped'),
    ).toBeInTheDocument();
    expect(
      within(row('orders-sink')).getByText('orders, payments'),
    ).toBeInTheDocument();
    expect(row('audit-source')).toHaveTextContent('—');

    // A failed task's trace is one click away.
    await user.click(
      within(row('orders-sink')).getByRole('button', {
        name: 'Failure traces of orders-sink',
      }),
    );
    const traces = await screen.findByRole('dialog', {
      name: 'Failures of orders-sink on main',
    });
    expect(
      within(traces).getByLabelText('Failure trace of task 0'),
    ).toHaveTextContent('ConnectException: boom');
    await user.click(within(traces).getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    await user.click(
      within(row('audit-source')).getByRole('button', { name: 'Resume' }),
    );
    expect(
      await screen.findByText('Requested resume of audit-source on main.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(row('orders-sink')).getByRole('button', { name: 'Restart' }),
      ).toBeEnabled(),
    );
    await user.click(
      within(row('orders-sink')).getByRole('button', { name: 'Restart' }),
    );
    expect(
      await screen.findByText('Requested restart of orders-sink on main.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(row('orders-sink')).getByRole('button', { name: 'Pause' }),
      ).toBeEnabled(),
    );
    await user.click(
      within(row('orders-sink')).getByRole('button', { name: 'Pause' }),
    );
    expect(
      await screen.findByText('Requested pause of orders-sink on main.'),
    ).toBeInTheDocument();

    // The detail panel shows the tasks with their traces.
    await user.click(within(row('orders-sink')).getAllByRole('button')[0]);
    expect(
      await screen.findByText(/ConnectException: boom/),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restart task 0' }));
    await waitFor(() =>
      expect(actions).toEqual([
        'resume audit-source',
        'restart orders-sink?includeTasks=true&onlyFailed=false',
        'pause orders-sink',
        'restart task 0 of orders-sink',
      ]),
    );
  });

  it('filters by state', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({ items: [{ name: 'main' }] }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({
          items: [connector('a', 'RUNNING'), connector('b', 'PAUSED')],
          total: 2,
        }),
      ),
    );
    await renderArchon(<ConnectPage />);
    expect(await screen.findByText('Connectors (2)')).toBeInTheDocument();
    await user.click(screen.getByLabelText('State'));
    await user.click(await screen.findByRole('option', { name: 'PAUSED' }));
    expect(await screen.findByText('Connectors (1)')).toBeInTheDocument();
    expect(screen.queryByText('a')).not.toBeInTheDocument();
  });
  describe('restarting failed tasks in bulk', () => {
    const failing = (name: string, ids: number[]) =>
      connector(name, 'RUNNING', {
        failedTasks: ids.length,
        tasks: [
          { id: 0, state: 'RUNNING' },
          ...ids.map(id => ({ id, state: 'FAILED' })),
        ],
      });

    function serve(restarts: string[]) {
      server.use(
        healthHandler(),
        http.get(`${BASE}/connect`, () =>
          HttpResponse.json({ items: [{ name: 'main' }, { name: 'edge' }] }),
        ),
        http.get(`${BASE}/connect/main/connectors`, () =>
          HttpResponse.json({
            items: [failing('orders-sink', [1, 2]), connector('ok', 'RUNNING')],
            total: 2,
          }),
        ),
        http.get(`${BASE}/connect/edge/connectors`, () =>
          HttpResponse.json({ items: [failing('edge-source', [1])], total: 1 }),
        ),
        http.post(
          `${BASE}/connect/:cluster/connectors/:name/restart`,
          ({ params, request }) => {
            restarts.push(
              `${params.cluster}/${params.name}${new URL(request.url).search}`,
            );
            if (params.cluster === 'edge')
              return errorBody(
                409,
                'ConflictError',
                'Kafka Connect "edge" is rebalancing',
              );
            return HttpResponse.json(
              {
                name: params.name,
                restarted: true,
                status: {
                  tasks: [
                    { id: 0, state: 'RUNNING' },
                    { id: 1, state: 'RESTARTING' },
                    { id: 2, state: 'RESTARTING' },
                  ],
                },
              },
              { status: 202 },
            );
          },
        ),
      );
    }

    it('restarts only the failed tasks of every connector that has some, after a confirmation, with each result', async () => {
      const user = userEvent.setup({ delay: null });
      const restarts: string[] = [];
      serve(restarts);
      await renderArchon(<ConnectPage />);
      expect(await screen.findByText('Connectors (3)')).toBeInTheDocument();

      await user.click(
        screen.getByRole('button', {
          name: 'Restart all failed tasks (2 connectors)…',
        }),
      );
      const dialog = screen.getByRole('dialog', {
        name: 'Restart the failed tasks of 2 connectors?',
      });
      const targets = within(dialog).getByRole('table', {
        name: 'Connectors to restart',
      });
      expect(targets).toHaveTextContent('mainorders-sink1, 2');
      expect(targets).toHaveTextContent('edgeedge-source1');
      expect(restarts).toEqual([]);

      await user.click(
        within(dialog).getByRole('button', { name: 'Restart failed tasks' }),
      );
      expect(
        await within(dialog).findByText('Done: 1 restarted, 1 failed'),
      ).toBeInTheDocument();
      const results = within(dialog).getByRole('table', {
        name: 'Restart results',
      });
      expect(results).toHaveTextContent('mainorders-sinkrestarting tasks 1, 2');
      expect(results).toHaveTextContent(
        'edgeedge-sourceKafka Connect "edge" is rebalancing',
      );
      expect(restarts.sort()).toEqual([
        'edge/edge-source?includeTasks=true&onlyFailed=true',
        'main/orders-sink?includeTasks=true&onlyFailed=true',
      ]);
    });

    it('restarts the selected connectors only', async () => {
      const user = userEvent.setup({ delay: null });
      const restarts: string[] = [];
      serve(restarts);
      await renderArchon(<ConnectPage />);
      expect(await screen.findByText('Connectors (3)')).toBeInTheDocument();
      const selectedButton = () =>
        screen.getByRole('button', {
          name: /^Restart failed tasks of \d+ selected/,
        });
      expect(selectedButton()).toBeDisabled();

      await user.click(
        screen.getByRole('checkbox', { name: 'Select orders-sink on main' }),
      );
      expect(selectedButton()).toHaveTextContent(
        'Restart failed tasks of 1 selected…',
      );
      await user.click(selectedButton());
      const dialog = screen.getByRole('dialog', {
        name: 'Restart the failed tasks of 1 connector?',
      });
      await user.click(
        within(dialog).getByRole('button', { name: 'Restart failed tasks' }),
      );
      expect(
        await within(dialog).findByText('Done: 1 restarted, 0 failed'),
      ).toBeInTheDocument();
      expect(restarts).toEqual([
        'main/orders-sink?includeTasks=true&onlyFailed=true',
      ]);
    });
  });
});
