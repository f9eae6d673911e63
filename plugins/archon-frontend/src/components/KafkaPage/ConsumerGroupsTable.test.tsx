import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { KafkaPage } from './KafkaPage';

const group = (groupId: string, extra: Record<string, unknown>) => ({
  groupId,
  state: 'Empty',
  members: 0,
  topics: ['orders'],
  totalLag: 40,
  ...extra,
});

describe('ConsumerGroupsTable: time lag', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lands on the lagging groups from ?lagging=true, with each time lag or why it is unknown', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: URLSearchParams[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka`, () =>
        HttpResponse.json({
          items: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
        }),
      ),
      http.get(`${BASE}/kafka/local/consumer-groups`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        queries.push(query);
        const late = group('billing', {
          timeLagMs: 600_000,
          lagging: true,
        });
        const items =
          query.get('lagging') === 'true'
            ? [late]
            : [
                late,
                group('audit', {
                  timeLagMs: null,
                  timeLagUnknown:
                    'orders: 1 partition: the record at the committed offset 1 is no longer in the log',
                  lagging: false,
                }),
                group('search', {
                  totalLag: 0,
                  timeLagMs: 0,
                  lagging: false,
                }),
              ];
        return HttpResponse.json({
          items,
          total: items.length,
          lagThresholdSeconds: 60,
          timeLagAsOf: '2026-12-05T10:00:00.000Z',
        });
      }),
    );
    await renderArchon(<KafkaPage />, {
      initialRouteEntries: ['/?cluster=local&tab=groups&lagging=true'],
    });

    expect(await screen.findByText('Consumer groups (1)')).toBeInTheDocument();
    expect(queries[0].get('lagging')).toBe('true');
    const toggle = screen.getByRole('checkbox', {
      name: 'Lagging only (time lag over 60 s)',
    });
    expect(toggle).toBeChecked();
    const billing = screen.getByRole('row', { name: /billing/ });
    const figure = within(billing).getByTestId('time-lag');
    expect(figure).toHaveTextContent('10 min');
    expect(figure).toHaveAttribute('data-lagging', 'true');

    // All groups: an unknown time lag says unknown (why in the tooltip), never 0.
    await user.click(toggle);
    expect(await screen.findByText('Consumer groups (3)')).toBeInTheDocument();
    expect(queries[queries.length - 1].get('lagging')).toBeNull();
    const audit = within(
      screen.getByRole('row', { name: /audit/ }),
    ).getByTestId('time-lag');
    expect(audit).toHaveTextContent('unknown');
    await user.hover(audit);
    expect(await screen.findByText(/no longer in the log/)).toBeInTheDocument();
    const search = within(
      screen.getByRole('row', { name: /search/ }),
    ).getByTestId('time-lag');
    expect(search).toHaveTextContent('0 ms');
    expect(search).toHaveAttribute('data-lagging', 'false');
  });

  it('says why no group can be shown as lagging while there is no lag sample', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka`, () =>
        HttpResponse.json({
          items: [{ name: 'local', brokers: ['127.0.0.1:9092'] }],
        }),
      ),
      http.get(`${BASE}/kafka/local/consumer-groups`, () =>
        HttpResponse.json({
          items: [],
          total: 0,
          lagThresholdSeconds: 60,
          timeLagUnknown: 'no lag sample of this cluster yet',
        }),
      ),
    );
    await renderArchon(<KafkaPage />, {
      initialRouteEntries: ['/?cluster=local&tab=groups&lagging=true'],
    });
    expect(
      await screen.findByText(/no lag sample of this cluster yet/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByText(
          'No consumer group is lagging in the latest lag sample.',
        ),
      ).toBeInTheDocument(),
    );
  });
});
