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
import { kafkaTopicRouteRef } from '../../routes';
import { TopicsTable } from './TopicsTable';

const orders = {
  name: 'orders',
  internal: false,
  partitions: 3,
  replicationFactor: 1,
  messages: 1200,
  sizeBytes: 1_268_000,
  retentionMs: 604_800_000,
  retentionBytes: -1,
  writeRate: 2.5,
  consumerGroups: 2,
  maxLag: 17,
  maxTimeLagMs: 180_000,
  underReplicatedPartitions: 0,
  offlinePartitions: 0,
};
const payments = {
  ...orders,
  name: 'payments',
  messages: 3,
  sizeBytes: null,
  consumerGroups: null,
  maxLag: null,
  maxTimeLagMs: null,
  offlinePartitions: 1,
  unknown: {
    sizeBytes: 'DescribeLogDirs failed on broker 1: timeout',
    consumerGroups: 'no lag sample of this cluster yet',
    maxLag: 'no lag sample of this cluster yet',
    maxTimeLagMs: 'no lag sample of this cluster yet',
  },
};

const noUsage = (topic: string) => ({
  topic,
  consumerGroups: [],
  connectors: [],
  clients: [],
});

function render() {
  return renderArchon(<TopicsTable cluster="local" />, {
    mountedRoutes: {
      '/archon/kafka/:cluster/topics/:topic': kafkaTopicRouteRef,
    },
  });
}

describe('TopicsTable', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  let queries: URLSearchParams[];

  beforeEach(() => {
    queries = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka/local/topics`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        const items =
          query.get('order') === 'desc'
            ? [orders, payments]
            : [payments, orders];
        return HttpResponse.json({ items, total: 2 });
      }),
    );
  });

  it('shows size, retention, produce rate, groups, max lag and time lag, and "unknown" with why', async () => {
    const user = userEvent.setup({ delay: null });
    await render();
    const row = (await screen.findByRole('link', { name: 'orders' })).closest(
      'tr',
    )!;
    for (const text of [
      '1,200',
      '1.21 MiB',
      '7 d',
      '2.50/s',
      '2',
      '17',
      '3 min',
    ]) {
      expect(within(row).getByText(text)).toBeInTheDocument();
    }
    const unknownRow = screen
      .getByRole('link', { name: 'payments' })
      .closest('tr')!;
    const unknowns = within(unknownRow).getAllByText('unknown');
    // Size, groups, max lag and time lag: never 0 when the figure was not read.
    expect(unknowns).toHaveLength(4);
    // Health shows under the name, only when something is wrong.
    expect(within(unknownRow).getByText('1 offline')).toBeInTheDocument();
    expect(within(row).queryByText(/offline|under-replicated/)).toBeNull();
    await user.hover(unknowns[0]);
    expect(
      await screen.findByText('DescribeLogDirs failed on broker 1: timeout'),
    ).toBeInTheDocument();
  });

  it('sorts on the server when a header is clicked', async () => {
    const user = userEvent.setup({ delay: null });
    await render();
    await screen.findByRole('link', { name: 'orders' });
    expect(queries[0].get('sort')).toBeNull();
    await user.click(screen.getByText('Messages'));
    await waitFor(() =>
      expect(queries[queries.length - 1].get('sort')).toBe('messages'),
    );
    expect(queries[queries.length - 1].get('order')).toBe('asc');
    await user.click(screen.getByText('Messages'));
    await waitFor(() =>
      expect(queries[queries.length - 1].get('order')).toBe('desc'),
    );
  });

  it('deletes the selected topics after showing what uses each, and says which failed', async () => {
    const user = userEvent.setup({ delay: null });
    const deletes: string[] = [];
    server.use(
      http.get(`${BASE}/kafka/local/topics/:topic/usage`, ({ params }) =>
        HttpResponse.json(
          params.topic === 'orders'
            ? {
                ...noUsage('orders'),
                consumerGroups: [
                  { groupId: 'billing', state: 'Stable', lag: 7, members: [] },
                ],
              }
            : noUsage(String(params.topic)),
        ),
      ),
      http.delete(
        `${BASE}/kafka/local/topics/:topic`,
        ({ params, request }) => {
          deletes.push(`${params.topic}${new URL(request.url).search}`);
          return params.topic === 'payments'
            ? errorBody(403, 'NotAllowedError', 'archon.kafka.topic.delete')
            : HttpResponse.json({ deleted: params.topic });
        },
      ),
    );
    await render();
    await screen.findByRole('link', { name: 'orders' });
    const remove = screen.getByRole('button', { name: /Delete selected/ });
    expect(remove).toBeDisabled();
    for (const name of ['orders', 'payments']) {
      const row = screen.getByRole('link', { name }).closest('tr')!;
      await user.click(within(row).getByRole('checkbox'));
    }
    await user.click(
      screen.getByRole('button', { name: 'Delete selected (2)' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete 2 topics?',
    });
    expect(
      await within(dialog).findByText(/billing \(Stable, lag 7, 0 members\)/),
    ).toBeInTheDocument();
    const confirm = within(dialog).getByRole('button', {
      name: 'Delete 2 topics',
    });
    await user.type(within(dialog).getByLabelText(/Type 2/), '2');
    await user.click(confirm);
    expect(
      await within(dialog).findByText('Deleted orders'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/payments: not deleted: .*topic\.delete/),
    ).toBeInTheDocument();
    expect(deletes.sort()).toEqual([
      'orders?confirm=orders',
      'payments?confirm=payments',
    ]);
  });
});
