import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import {
  connector,
  connectorEntity,
  replaceText,
  topicEntity,
} from '../../__testUtils__/connect';
import { EntityConnectorContent } from './EntityConnectorContent';

const CONNECTOR = `${BASE}/connect/local/connectors/orders-sink`;

function render(entity: Entity = connectorEntity) {
  return renderArchon(
    <EntityProvider entity={entity}>
      <EntityConnectorContent />
    </EntityProvider>,
    {
      entities: [topicEntity],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const row = (field: string) =>
  screen.getByLabelText(`Value of ${field}`).closest('tr')!;

describe('EntityConnectorContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      healthHandler(),
      http.get(CONNECTOR, () => HttpResponse.json(connector)),
      http.get(`${CONNECTOR}/topics`, () =>
        HttpResponse.json({
          name: 'orders-sink',
          topics: ['orders', 'payments'],
        }),
      ),
    );
  });

  it('shows the state, the tasks with their traces, the topics linked to their entities and the config', async () => {
    await render();
    expect(await screen.findByText('Tasks (2)')).toBeInTheDocument();
    expect(screen.getAllByText('RUNNING').length).toBeGreaterThan(0);
    expect(screen.getAllByText('connect-1:8083').length).toBeGreaterThan(0);
    expect(screen.getByText('1/2 running, 1 failed')).toBeInTheDocument();
    const task1 = screen.getByRole('group', { name: 'Task 1' });
    expect(within(task1).getByText('FAILED')).toBeInTheDocument();
    expect(within(task1).getByText('connect-2:8083')).toBeInTheDocument();
    expect(within(task1).getByLabelText('Trace of task 1')).toHaveTextContent(
      'ConnectException: disk full',
    );
    expect(
      within(screen.getByRole('group', { name: 'Task 0' })).queryByLabelText(
        /Trace/,
      ),
    ).not.toBeInTheDocument();

    const topics = await screen.findByRole('list', {
      name: 'Topics of orders-sink',
    });
    expect(
      await within(topics).findByRole('link', { name: 'orders' }),
    ).toHaveAttribute('href', '/catalog/default/resource/kafka-local.orders');
    // No entity for this topic: plain text.
    expect(within(topics).getByText('payments').closest('a')).toBeNull();

    expect(screen.getByLabelText('Value of topics')).toHaveValue(
      'orders,payments',
    );
    // The name follows the connector's name and is not a row.
    expect(screen.queryByLabelText('Value of name')).not.toBeInTheDocument();
    expect(
      within(row('db.password')).getByText(/Masked secret: kept as stored/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/leave one as it is and archon keeps the stored value/),
    ).toBeInTheDocument();
  }, 90_000);

  /** Records connector and task actions, answering 202 (handlers added later take precedence). */
  function recordActions() {
    const calls: string[] = [];
    server.use(
      http.post(`${CONNECTOR}/:action`, ({ params, request }) => {
        calls.push(`${params.action}${new URL(request.url).search}`);
        return HttpResponse.json({}, { status: 202 });
      }),
      http.post(`${CONNECTOR}/tasks/:task/restart`, ({ params }) => {
        calls.push(`restart task ${params.task}`);
        return HttpResponse.json({}, { status: 202 });
      }),
    );
    return calls;
  }

  /** Clicks a button once the permission is known and no action runs. */
  async function clickWhenEnabled(
    user: ReturnType<typeof userEvent.setup>,
    name: string,
  ) {
    await waitFor(() =>
      expect(screen.getByRole('button', { name })).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name }));
  }

  it('restarts the failed instances, everything, or one task, each on its route', async () => {
    const user = userEvent.setup({ delay: null });
    const calls = recordActions();
    await render();
    await clickWhenEnabled(user, 'Restart failed');
    expect(
      await screen.findByText(
        'Requested restart of the failed instances of orders-sink.',
      ),
    ).toBeInTheDocument();
    await clickWhenEnabled(user, 'Restart all');
    expect(
      await screen.findByText(
        'Requested restart of orders-sink and all its tasks.',
      ),
    ).toBeInTheDocument();
    await clickWhenEnabled(user, 'Restart task 1');
    expect(
      await screen.findByText('Requested restart of task 1 of orders-sink.'),
    ).toBeInTheDocument();
    expect(calls).toEqual([
      'restart?includeTasks=true&onlyFailed=true',
      'restart?includeTasks=true&onlyFailed=false',
      'restart task 1',
    ]);
  }, 90_000);

  it('shows why an action failed (409), and stops only once confirmed', async () => {
    const user = userEvent.setup({ delay: null });
    const calls = recordActions();
    // Added last, so it answers before the recorder.
    server.use(
      http.post(`${CONNECTOR}/pause`, () =>
        errorBody(409, 'ConflictError', 'Connect is rebalancing; retry'),
      ),
    );
    await render();
    await clickWhenEnabled(user, 'Pause');
    expect(
      await screen.findByText(
        'The pause of orders-sink failed: Connect is rebalancing; retry',
      ),
    ).toBeInTheDocument();
    await clickWhenEnabled(user, 'Stop');
    expect(calls).toEqual([]);
    await user.click(
      await screen.findByRole('button', { name: 'Stop connector' }),
    );
    expect(
      await screen.findByText('Requested stop of orders-sink.'),
    ).toBeInTheDocument();
    expect(calls).toEqual(['stop']);
  }, 90_000);

  it('shows validation errors at their fields, sends masked secrets back as they are, and shows a 422 on save the same way', async () => {
    const user = userEvent.setup({ delay: null });
    const sent: Array<{ route: string; body: any }> = [];
    let saves = 0;
    server.use(
      http.post(`${BASE}/connect/local/validate`, async ({ request }) => {
        sent.push({ route: 'validate', body: await request.json() });
        return HttpResponse.json({
          errorCount: 2,
          fields: {
            'tasks.max': ['Invalid value x for configuration tasks.max'],
            file: ['Missing required configuration "file"'],
          },
        });
      }),
      http.put(`${CONNECTOR}/config`, async ({ request }) => {
        sent.push({ route: 'save', body: await request.json() });
        saves += 1;
        if (saves === 1) {
          return errorBody(
            422,
            'UnprocessableError',
            'connector config is invalid (1 error(s))',
            { details: { fields: { topics: ['Unknown topic foo'] } } },
          );
        }
        return HttpResponse.json(connector);
      }),
    );
    await render();
    const tasksMax = await screen.findByLabelText('Value of tasks.max');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Validate' })).toBeEnabled(),
    );
    await replaceText(user, tasksMax, 'x');
    await user.click(screen.getByRole('button', { name: 'Validate' }));

    expect(
      await screen.findByText(
        'Connect found 2 error(s). Fix the fields below.',
      ),
    ).toBeInTheDocument();
    expect(
      within(row('tasks.max')).getByText(
        'Invalid value x for configuration tasks.max',
      ),
    ).toBeInTheDocument();
    // A field that is not in the config is named in the summary, with a way to add it.
    const summary = screen.getByRole('list', { name: 'Config errors' });
    expect(
      within(summary).getByText(/Missing required configuration "file"/),
    ).toBeInTheDocument();
    await user.click(within(summary).getByRole('button', { name: 'Add file' }));
    expect(screen.getByLabelText('Value of file')).toHaveValue('');
    expect(sent[0].body).toEqual({
      name: 'orders-sink',
      config: {
        'connector.class':
          'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'tasks.max': 'x',
        topics: 'orders,payments',
        'db.password': '********',
      },
    });

    // Editing a field clears the error Connect gave for it.
    await replaceText(user, screen.getByLabelText('Value of tasks.max'), '1');
    expect(
      within(row('tasks.max')).queryByText(/Invalid value/),
    ).not.toBeInTheDocument();
    await replaceText(
      user,
      screen.getByLabelText('Value of file'),
      '/tmp/out.txt',
    );

    await user.click(screen.getByRole('button', { name: 'Save config' }));
    expect(
      await screen.findByText(
        'Not saved: Connect rejected the config. Fix the fields below.',
      ),
    ).toBeInTheDocument();
    expect(
      within(row('topics')).getByText('Unknown topic foo'),
    ).toBeInTheDocument();

    await replaceText(user, screen.getByLabelText('Value of topics'), 'orders');
    await user.click(screen.getByRole('button', { name: 'Save config' }));
    expect(
      await screen.findByText(
        'Saved the config of orders-sink; Connect restarts its tasks with it.',
      ),
    ).toBeInTheDocument();
    expect(sent[2]).toEqual({
      route: 'save',
      body: {
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSinkConnector',
          'tasks.max': '1',
          topics: 'orders',
          'db.password': '********',
          file: '/tmp/out.txt',
        },
      },
    });
  }, 90_000);

  it('checks the config before asking Connect', async () => {
    const user = userEvent.setup({ delay: null });
    await render();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Validate' })).toBeEnabled(),
    );
    await user.click(
      screen.getByRole('button', { name: 'Remove connector.class' }),
    );
    expect(
      screen.getByText('The config needs connector.class.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Validate' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Add field' }));
    await replaceText(user, screen.getByLabelText('New field name'), 'topics');
    expect(screen.getByText('topics appears twice')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save config' })).toBeDisabled();
  }, 90_000);

  it('shows a connector without tasks or active topics', async () => {
    server.use(
      http.get(CONNECTOR, () =>
        HttpResponse.json({
          ...connector,
          state: 'STOPPED',
          tasks: [],
          failedTasks: 0,
        }),
      ),
      http.get(`${CONNECTOR}/topics`, () =>
        HttpResponse.json({ name: 'orders-sink', topics: [] }),
      ),
    );
    await render();
    expect(await screen.findByText('Tasks (0)')).toBeInTheDocument();
    expect(
      screen.getByText(/No tasks: Connect has not started/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Connect reports no active topics/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled(),
    );
    expect(screen.getByRole('button', { name: 'Stop' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Restart failed' }),
    ).toBeDisabled();
  });

  it('says when the connector no longer exists', async () => {
    server.use(
      http.get(CONNECTOR, () =>
        errorBody(404, 'NotFoundError', 'No connector orders-sink'),
      ),
    );
    await render();
    expect(
      await screen.findByText(/Connector orders-sink does not exist on local/),
    ).toBeInTheDocument();
  });

  it('shows the error when Connect cannot be reached, and which system is unreachable', async () => {
    server.use(
      healthHandler([
        {
          kind: 'kafka-connect',
          name: 'local',
          status: 'unreachable',
          error: 'connect ECONNREFUSED 127.0.0.1:8083',
        },
      ]),
      http.get(CONNECTOR, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Kafka Connect cluster "local" is not reachable: connect ECONNREFUSED',
        ),
      ),
    );
    await render();
    expect(
      await screen.findByText(/Kafka Connect "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      (
        await screen.findAllByText(
          /Kafka Connect cluster "local" is not reachable/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('names the annotations an entity lacks', async () => {
    await render({
      ...connectorEntity,
      metadata: { name: 'x', annotations: {} },
    });
    expect(
      await screen.findByText(/Not a connector archon knows/),
    ).toBeInTheDocument();
  });
});
