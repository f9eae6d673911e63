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
import { KafkaPage } from './KafkaPage';

const topicPageRoute = {
  '/archon/kafka/:cluster/topics/:topic': kafkaTopicRouteRef,
};

const topic = (name: string) => ({
  name,
  internal: false,
  partitions: 3,
  replicationFactor: 1,
  messages: 1200,
  writeRate: 2.5,
  underReplicatedPartitions: 0,
  offlinePartitions: 0,
});

describe('KafkaPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka`, () =>
        HttpResponse.json({
          items: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
        }),
      ),
    );
  });

  it('lists topics paged and filtered on the server, each linking to its topic page', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/kafka/local/topics`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const filter = url.searchParams.get('filter');
        const cursor = url.searchParams.get('cursor');
        const items = filter
          ? [topic('orders')]
          : [topic(cursor ? 'page-2-topic' : 'orders'), topic('payments')];
        return HttpResponse.json({
          items,
          total: filter ? 1 : 60,
          ...(!filter && !cursor && { nextCursor: 'after-payments' }),
        });
      }),
    );
    await renderArchon(<KafkaPage />, { mountedRoutes: topicPageRoute });

    expect(await screen.findByText('Topics (60)')).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'orders' })).toHaveAttribute(
      'href',
      '/archon/kafka/local/topics/orders',
    );
    expect(screen.getAllByText('1,200')).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: /next page/i }));
    expect(await screen.findByText('page-2-topic')).toBeInTheDocument();
    // The second page has no nextCursor: it is the last one.
    expect(screen.getByRole('button', { name: /next page/i })).toBeDisabled();

    await user.type(screen.getByLabelText('Filter topics'), 'ord');
    expect(await screen.findByText('Topics (1)')).toBeInTheDocument();
    expect(queries).toEqual([
      '?includeInternal=false&limit=25',
      '?includeInternal=false&limit=25&cursor=after-payments',
      '?filter=ord&includeInternal=false&limit=25',
    ]);
  });

  it('creates a topic, showing validation problems at their field', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies: any[] = [];
    server.use(
      http.get(`${BASE}/kafka/local/topics`, () =>
        HttpResponse.json({ items: [], total: 0 }),
      ),
      http.post(`${BASE}/kafka/local/topics`, async ({ request }) => {
        const body: any = await request.json();
        bodies.push(body);
        if (body.replicationFactor > 1) {
          return errorBody(
            400,
            'InputError',
            'replicationFactor 3 is larger than the number of brokers (1) in Kafka cluster "local"',
          );
        }
        if (body.name === 'taken') {
          return errorBody(
            409,
            'ConflictError',
            'topic "taken" already exists in Kafka cluster "local"',
          );
        }
        return HttpResponse.json(
          { name: body.name, partitions: [], configs: [] },
          { status: 201 },
        );
      }),
    );
    await renderArchon(<KafkaPage />, { mountedRoutes: topicPageRoute });
    expect(
      await screen.findByText('This cluster has no topics.'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create topic' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Create a topic on local',
    });

    // Client-side checks first.
    await user.type(within(dialog).getByLabelText(/^Name/), 'bad name');
    expect(
      within(dialog).getByText("Only ASCII letters, digits, '.', '_' and '-'"),
    ).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText(/^Name/));
    await user.type(within(dialog).getByLabelText(/^Name/), 'taken');
    await user.type(
      within(dialog).getByLabelText(/^Config overrides/),
      'retention.ms',
    );
    expect(
      within(dialog).getByText('Not name=value: retention.ms'),
    ).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText(/^Config overrides/));
    await user.type(
      within(dialog).getByLabelText(/^Config overrides/),
      'retention.ms=1000',
    );

    // The broker count is the server's to check: its 400 lands on the field.
    await user.clear(within(dialog).getByLabelText(/^Replication factor/));
    await user.type(within(dialog).getByLabelText(/^Replication factor/), '3');
    await user.click(
      within(dialog).getByRole('button', { name: 'Create topic' }),
    );
    expect(
      await within(dialog).findByText(
        /larger than the number of brokers \(1\)/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByLabelText(/^Replication factor/),
    ).toHaveAttribute('aria-invalid', 'true');

    await user.clear(within(dialog).getByLabelText(/^Replication factor/));
    await user.type(within(dialog).getByLabelText(/^Replication factor/), '1');
    await user.click(
      within(dialog).getByRole('button', { name: 'Create topic' }),
    );
    expect(
      await within(dialog).findByText(
        'topic "taken" already exists in Kafka cluster "local"',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Name/)).toHaveAttribute(
      'aria-invalid',
      'true',
    );

    await user.clear(within(dialog).getByLabelText(/^Name/));
    await user.type(within(dialog).getByLabelText(/^Name/), 'fresh');
    await user.click(
      within(dialog).getByRole('button', { name: 'Create topic' }),
    );
    // The new topic opens at once: its page reads the cluster, not the catalog.
    expect(await screen.findByRole('link', { name: 'fresh' })).toHaveAttribute(
      'href',
      '/archon/kafka/local/topics/fresh',
    );
    expect(bodies[bodies.length - 1]).toEqual({
      name: 'fresh',
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '1000' },
    });
  });

  it('resets a consumer group offsets after a preview and a confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    const resets: any[] = [];
    server.use(
      http.get(`${BASE}/kafka/local/consumer-groups`, () =>
        HttpResponse.json({
          items: [
            {
              groupId: 'billing',
              state: 'Empty',
              members: 0,
              topics: ['orders'],
              totalLag: 40,
            },
          ],
          total: 1,
        }),
      ),
      http.get(`${BASE}/kafka/local/consumer-groups/billing`, () =>
        HttpResponse.json({
          groupId: 'billing',
          state: 'Empty',
          members: [],
          partitions: [
            {
              topic: 'orders',
              partition: 0,
              committedOffset: 60,
              endOffset: 100,
              lag: 40,
              timeLagMs: 65000,
            },
          ],
          topics: [{ topic: 'orders', lag: 40, partitions: 1 }],
          totalLag: 40,
          maxTimeLagMs: 65000,
        }),
      ),
      http.post(
        `${BASE}/kafka/local/consumer-groups/billing/offsets`,
        async ({ request }) => {
          const body: any = await request.json();
          resets.push(body);
          return HttpResponse.json({
            groupId: 'billing',
            state: 'Empty',
            dryRun: body.dryRun,
            applied: !body.dryRun,
            canApply: true,
            partitions: [
              {
                topic: 'orders',
                partition: 0,
                currentOffset: 60,
                newOffset: 100,
                clamped: false,
                startOffset: 0,
                endOffset: 100,
                lagBefore: 40,
                lagAfter: 0,
              },
            ],
            totalLagBefore: 40,
            totalLagAfter: 0,
          });
        },
      ),
    );
    await renderArchon(<KafkaPage />, {
      initialRouteEntries: ['/?tab=groups'],
    });
    await user.click(await screen.findByRole('button', { name: 'billing' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Consumer group billing',
    });
    expect((await within(dialog).findAllByText('1 min')).length).toBe(2);

    expect(
      within(dialog).getByRole('button', { name: 'Reset offsets…' }),
    ).toBeDisabled();
    await user.click(
      within(dialog).getByRole('button', { name: 'Preview reset' }),
    );
    expect(
      await within(dialog).findByText('Preview: lag 40 → 0'),
    ).toBeInTheDocument();
    expect(resets).toEqual([
      { to: 'latest', topics: ['orders'], dryRun: true },
    ]);

    await user.click(
      within(dialog).getByRole('button', { name: 'Reset offsets…' }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: 'Reset offsets of billing?',
    });
    await user.click(
      within(confirm).getByRole('button', { name: 'Reset offsets' }),
    );
    expect(
      await within(dialog).findByText(
        /Reset 1 partition of billing; lag is now 0/,
      ),
    ).toBeInTheDocument();
    expect(resets[1]).toEqual({
      to: 'latest',
      topics: ['orders'],
      dryRun: false,
    });
  });

  it('says why a reset cannot be applied while the group has members', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      http.get(`${BASE}/kafka/local/consumer-groups`, () =>
        HttpResponse.json({
          items: [
            {
              groupId: 'live',
              state: 'Stable',
              members: 1,
              topics: ['t'],
              totalLag: 0,
            },
          ],
          total: 1,
        }),
      ),
      http.get(`${BASE}/kafka/local/consumer-groups/live`, () =>
        HttpResponse.json({
          groupId: 'live',
          state: 'Stable',
          members: [{ clientId: 'app-1', host: '/10.0.0.1' }],
          partitions: [
            {
              topic: 't',
              partition: 0,
              committedOffset: 5,
              endOffset: 5,
              lag: 0,
              clientId: 'app-1',
            },
          ],
          totalLag: 0,
        }),
      ),
      http.post(`${BASE}/kafka/local/consumer-groups/live/offsets`, () =>
        HttpResponse.json({
          groupId: 'live',
          dryRun: true,
          applied: false,
          canApply: false,
          reason:
            'consumer group "live" is Stable with 1 active member(s); stop its consumers before resetting offsets',
          partitions: [],
        }),
      ),
    );
    await renderArchon(<KafkaPage />, {
      initialRouteEntries: ['/?tab=groups&group=live'],
    });
    const dialog = await screen.findByRole('dialog', {
      name: 'Consumer group live',
    });
    expect(
      await within(dialog).findByText('app-1 @ /10.0.0.1'),
    ).toBeInTheDocument();
    await user.click(
      within(dialog).getByRole('button', { name: 'Preview reset' }),
    );
    expect(
      await within(dialog).findByText(
        /Cannot reset now: consumer group "live" is Stable/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Reset offsets…' }),
    ).toBeDisabled();
  });

  it('offers no reset for a group without committed offsets', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      http.get(`${BASE}/kafka/local/consumer-groups`, () =>
        HttpResponse.json({
          items: [
            {
              groupId: 'workers',
              state: 'Stable',
              members: 1,
              topics: [],
              totalLag: 0,
            },
          ],
          total: 1,
        }),
      ),
      http.get(`${BASE}/kafka/local/consumer-groups/workers`, () =>
        HttpResponse.json({
          groupId: 'workers',
          state: 'Stable',
          protocolType: 'connect',
          members: [],
          partitions: [],
          totalLag: 0,
        }),
      ),
    );
    await renderArchon(<KafkaPage />, {
      initialRouteEntries: ['/?tab=groups'],
    });
    await user.click(await screen.findByRole('button', { name: 'workers' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Consumer group workers',
    });
    expect(
      await within(dialog).findByText(
        /nothing to reset \(it is a connect group, not a consumer group\)/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('button', { name: 'Preview reset' }),
    ).not.toBeInTheDocument();
  });

  it('shows the brokers, and names Kafka when it is unreachable', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthHandler([
        {
          kind: 'kafka',
          name: 'local',
          status: 'unreachable',
          error: 'connect ECONNREFUSED 127.0.0.1:9092',
          latencyMs: 1,
        },
      ]),
      http.get(`${BASE}/kafka/local/topics`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Kafka cluster "local" is unreachable (brokers tried: 127.0.0.1:9092)',
        ),
      ),
      http.get(`${BASE}/kafka/local`, () =>
        HttpResponse.json({
          name: 'local',
          clusterId: 'abc',
          controller: 1,
          version: '4.3',
          brokers: [{ id: 1, host: '127.0.0.1', port: 9092, rack: null }],
          topicCount: 5,
          partitionCount: 9,
          underReplicatedPartitions: 0,
          offlinePartitions: 0,
        }),
      ),
    );
    await renderArchon(<KafkaPage />);
    expect(
      await screen.findByText(/Kafka "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      (
        await screen.findAllByText(
          /is unreachable \(brokers tried: 127.0.0.1:9092\)/,
        )
      ).length,
    ).toBeGreaterThan(0);
    await user.click(screen.getByRole('tab', { name: 'Brokers' }));
    expect(await screen.findByText('Brokers (1)')).toBeInTheDocument();
    expect(screen.getByText('controller')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('4.3')).toBeInTheDocument());
  });
});
