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
import { replaceText } from '../../__testUtils__/connect';
import { ConnectPage } from './ConnectPage';
import {
  connectorNameProblem,
  CreateConnectorDialog,
} from './CreateConnectorDialog';

const SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

const pluginsOf = (items: unknown[]) => () => HttpResponse.json({ items });

const valueRow = (field: string) =>
  screen.getByLabelText(`Value of ${field}`).closest('tr')!;

async function choosePlugin(
  user: ReturnType<typeof userEvent.setup>,
  name: RegExp,
) {
  await user.click(await screen.findByLabelText('Connector plugin'));
  await user.click(await screen.findByRole('option', { name }));
}

describe('CreateConnectorDialog', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists the plugins of the chosen cluster, shows a 422 at the fields, then creates', async () => {
    const user = userEvent.setup({ delay: null });
    const created: unknown[] = [];
    const onCreated = jest.fn();
    server.use(
      http.get(
        `${BASE}/connect/main/plugins`,
        pluginsOf([
          { class: SINK, type: 'sink', version: '3.9.0' },
          { class: SOURCE, type: 'source', version: '3.9.0' },
        ]),
      ),
      http.post(`${BASE}/connect/main/connectors`, async ({ request }) => {
        created.push(await request.json());
        if (created.length === 1) {
          return errorBody(
            422,
            'UnprocessableError',
            'connector config is invalid (2 error(s))',
            {
              details: {
                fields: {
                  'tasks.max': ['Invalid value 0; must be at least 1'],
                  topics: ['Must configure one of topics or topics.regex'],
                },
              },
            },
          );
        }
        return HttpResponse.json(
          {
            name: 'orders-file',
            type: 'sink',
            state: 'RUNNING',
            tasks: [],
            config: {},
          },
          { status: 201 },
        );
      }),
    );
    await renderArchon(
      <CreateConnectorDialog
        clusters={['main']}
        open
        onClose={jest.fn()}
        onCreated={onCreated}
      />,
    );

    await user.click(await screen.findByLabelText('Connector plugin'));
    expect(
      await screen.findByRole('option', {
        name: `FileStreamSourceConnector (source 3.9.0) — ${SOURCE}`,
      }),
    ).toBeInTheDocument();
    await user.click(
      screen.getByRole('option', {
        name: /FileStreamSinkConnector \(sink 3\.9\.0\)/,
      }),
    );
    expect(screen.getByLabelText('Value of connector.class')).toHaveValue(SINK);
    expect(screen.getByLabelText('Value of tasks.max')).toHaveValue('1');
    expect(screen.getByText('Name the connector first.')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create connector' }),
    ).toBeDisabled();

    await replaceText(user, screen.getByLabelText(/^Name/), 'orders-file');
    await replaceText(user, screen.getByLabelText('Value of tasks.max'), '0');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Create connector' }),
      ).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Create connector' }));

    expect(
      await screen.findByText(
        'Not saved: Connect rejected the config. Fix the fields below.',
      ),
    ).toBeInTheDocument();
    expect(
      within(valueRow('tasks.max')).getByText(
        'Invalid value 0; must be at least 1',
      ),
    ).toBeInTheDocument();
    const summary = screen.getByRole('list', { name: 'Config errors' });
    expect(
      within(summary).getByText(/Must configure one of topics/),
    ).toBeInTheDocument();
    expect(onCreated).not.toHaveBeenCalled();

    await user.click(
      within(summary).getByRole('button', { name: 'Add topics' }),
    );
    await replaceText(user, screen.getByLabelText('Value of topics'), 'orders');
    await replaceText(user, screen.getByLabelText('Value of tasks.max'), '1');
    await user.click(screen.getByRole('button', { name: 'Create connector' }));

    await waitFor(() =>
      expect(onCreated).toHaveBeenCalledWith('main', 'orders-file'),
    );
    expect(created[1]).toEqual({
      name: 'orders-file',
      config: { 'connector.class': SINK, 'tasks.max': '1', topics: 'orders' },
    });
  }, 90_000);

  it('validates with Connect and shows the errors at their fields', async () => {
    const user = userEvent.setup({ delay: null });
    let validated: unknown;
    server.use(
      http.get(
        `${BASE}/connect/main/plugins`,
        pluginsOf([{ class: SINK, type: 'sink', version: '3.9.0' }]),
      ),
      http.post(`${BASE}/connect/main/validate`, async ({ request }) => {
        validated = await request.json();
        return HttpResponse.json({
          errorCount: 1,
          fields: { 'tasks.max': ['Invalid value'] },
        });
      }),
    );
    await renderArchon(
      <CreateConnectorDialog
        clusters={['main']}
        open
        onClose={jest.fn()}
        onCreated={jest.fn()}
      />,
    );
    await choosePlugin(user, /FileStreamSinkConnector/);
    await replaceText(user, screen.getByLabelText(/^Name/), 'x');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Validate' })).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Validate' }));
    expect(
      await within(valueRow('tasks.max')).findByText('Invalid value'),
    ).toBeInTheDocument();
    expect(validated).toEqual({
      name: 'x',
      config: { 'connector.class': SINK, 'tasks.max': '1' },
    });
  }, 90_000);

  it('says when a cluster has no plugins or cannot list them', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      http.get(`${BASE}/connect/empty/plugins`, pluginsOf([])),
      http.get(`${BASE}/connect/down/plugins`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Kafka Connect "down" is unreachable',
        ),
      ),
    );
    await renderArchon(
      <CreateConnectorDialog
        clusters={['empty', 'down']}
        open
        onClose={jest.fn()}
        onCreated={jest.fn()}
      />,
    );
    expect(
      await screen.findByText('No connector plugin is installed on empty.'),
    ).toBeInTheDocument();
    await user.click(screen.getByLabelText('Connect cluster'));
    await user.click(await screen.findByRole('option', { name: 'down' }));
    expect(
      await screen.findByText(
        'Could not list the plugins of down: Kafka Connect "down" is unreachable',
      ),
    ).toBeInTheDocument();
  }, 90_000);

  it('knows the names the API refuses', () => {
    expect(connectorNameProblem('')).toBe('Enter a name');
    expect(connectorNameProblem('a/b')).toBe(
      'No "/", "\\" or control characters',
    );
    expect(connectorNameProblem('a\nb')).toBe(
      'No "/", "\\" or control characters',
    );
    expect(connectorNameProblem('x'.repeat(256))).toBe(
      'At most 255 characters',
    );
    expect(connectorNameProblem('orders sink.v2')).toBeUndefined();
  });

  it('opens from the Connect page, and the new connector shows up in the list', async () => {
    const user = userEvent.setup({ delay: null });
    const created = {
      name: 'orders-file',
      type: 'sink',
      state: 'RUNNING',
      workerId: 'w:8083',
      tasks: [],
      failedTasks: 0,
      config: {},
    };
    let items: Array<typeof created> = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({ items: [{ name: 'main' }] }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({ items, total: items.length }),
      ),
      http.get(
        `${BASE}/connect/main/plugins`,
        pluginsOf([{ class: SINK, type: 'sink', version: '3.9.0' }]),
      ),
      http.post(`${BASE}/connect/main/connectors`, () => {
        items = [created];
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    await renderArchon(<ConnectPage />);
    expect(await screen.findByText('Connectors (0)')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Add connector' }),
      ).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Add connector' }));
    await choosePlugin(user, /FileStreamSinkConnector/);
    await replaceText(user, screen.getByLabelText(/^Name/), 'orders-file');
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Create connector' }),
      ).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Create connector' }));
    expect(
      await screen.findByText('Created connector orders-file on main.'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Connectors (1)')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Add a connector' }),
      ).not.toBeInTheDocument(),
    );
  }, 90_000);
});
