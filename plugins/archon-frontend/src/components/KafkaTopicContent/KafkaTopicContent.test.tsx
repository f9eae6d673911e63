import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import {
  kafkaTopicEntity,
  topicDescription,
  topicHandlers,
} from '../../__testUtils__/kafkaTopic';
import { kafkaRouteRef, kafkaTopicRouteRef } from '../../routes';
import { KafkaTopicContent } from './KafkaTopicContent';
import { payloadText } from './MessageViewer';

const entity = kafkaTopicEntity('orders');

const description = topicDescription(
  'orders',
  [
    [0, 30],
    [5, 17],
  ],
  {
    writeRate: 0.5,
    configs: [
      {
        name: 'retention.ms',
        value: '3600000',
        source: 'topic',
        isOverride: true,
        synonyms: [
          { value: '3600000', source: 'topic' },
          { value: '604800000', source: 'default' },
        ],
      },
      {
        name: 'cleanup.policy',
        value: 'delete',
        source: 'default',
        isOverride: false,
      },
    ],
  },
);

const impact = {
  topic: 'orders',
  consumerGroups: [
    {
      groupId: 'billing',
      state: 'Stable',
      lag: 7,
      members: [{ clientId: 'billing-1', host: '/10.0.0.2' }],
    },
  ],
  connectors: [
    {
      connectCluster: 'local',
      name: 'orders-sink',
      type: 'sink',
      state: 'RUNNING',
    },
  ],
  clients: [{ clientId: 'billing-1', host: '/10.0.0.2', groupId: 'billing' }],
};

function render() {
  return renderArchon(
    <EntityProvider entity={entity}>
      <KafkaTopicContent />
    </EntityProvider>,
    {
      mountedRoutes: {
        '/archon/kafka': kafkaRouteRef,
        '/archon/kafka/:cluster/topics/:topic': kafkaTopicRouteRef,
      },
    },
  );
}

describe('KafkaTopicContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(...topicHandlers(description, impact));
  });

  it('shows partitions, config overrides (defaults on demand) and the consumer groups with lag', async () => {
    const user = userEvent.setup({ delay: null });
    await render();
    expect((await screen.findAllByText('Partitions')).length).toBeGreaterThan(
      0,
    );
    expect(screen.getByText('Config overrides')).toBeInTheDocument();
    const retention = screen.getByText('retention.ms').closest('tr')!;
    expect(within(retention).getByText('topic (override)')).toBeInTheDocument();
    expect(
      within(retention).getByText('604800000 (default)'),
    ).toBeInTheDocument();
    expect(screen.queryByText('cleanup.policy')).not.toBeInTheDocument();
    await user.click(screen.getByText('Show defaults'));
    expect(await screen.findByText('cleanup.policy')).toBeInTheDocument();

    const billing = (
      await screen.findByRole('link', { name: 'billing' })
    ).closest('tr')!;
    expect(within(billing).getByText('7')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'billing' })).toHaveAttribute(
      'href',
      '/archon/kafka?cluster=local&tab=groups&group=billing',
    );
    // The tab links to the topic's own page, which shows the same.
    expect(
      screen.getByRole('link', { name: 'Open the topic page' }),
    ).toHaveAttribute('href', '/archon/kafka/local/topics/orders');
  });

  it('embeds the message viewer (its own tests: MessageViewer.test.tsx)', async () => {
    await render();
    expect(
      await screen.findByRole('button', { name: 'Read messages' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Live' })).toBeInTheDocument();
  });

  it('deletes the topic only after showing what uses it and the name is typed', async () => {
    const user = userEvent.setup({ delay: null });
    const deletes: string[] = [];
    server.use(
      http.delete(`${BASE}/kafka/local/topics/orders`, ({ request }) => {
        deletes.push(new URL(request.url).search);
        return HttpResponse.json({ deleted: 'orders' });
      }),
    );
    await render();
    await user.click(
      await screen.findByRole('button', { name: 'Delete topic…' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete topic orders?',
    });
    expect(
      await within(dialog).findByText(/billing \(Stable, lag 7, 1 member\)/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('orders-sink on local (sink, RUNNING)'),
    ).toBeInTheDocument();
    const confirm = within(dialog).getByRole('button', {
      name: 'Delete topic',
    });
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByLabelText('Type the topic name to confirm'),
      'orders',
    );
    await user.click(confirm);
    expect(
      await screen.findByText(/Deleted topic orders from local/),
    ).toBeInTheDocument();
    expect(deletes).toEqual(['?confirm=orders']);
  });

  it('says when the topic no longer exists', async () => {
    server.use(
      http.get(`${BASE}/kafka/local/topics/orders`, () =>
        errorBody(404, 'NotFoundError', 'topic "orders" does not exist'),
      ),
    );
    await render();
    expect(
      await screen.findByText(/Topic orders not found on cluster local/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Delete topic…' }),
      ).not.toBeInTheDocument(),
    );
  });
});

describe('payloadText', () => {
  it('pretty-prints JSON and leaves other formats alone', () => {
    expect(payloadText({ format: 'json', text: '[1,2]', size: 5 })).toBe(
      '[\n  1,\n  2\n]',
    );
    expect(payloadText({ format: 'hex', text: 'ff00', size: 2 })).toBe('ff00');
    expect(payloadText(null)).toBe('(null)');
  });
});
