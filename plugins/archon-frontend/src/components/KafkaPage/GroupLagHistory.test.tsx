import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { GroupLagHistory } from './GroupLagHistory';

const point = (minute: number, lag: number) => ({
  time: `2026-12-05T07:${String(minute).padStart(2, '0')}:00.000Z`,
  lag,
  timeLagMs: null,
  topics: { orders: { lag, timeLagMs: null } },
});

describe('GroupLagHistory', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('draws the lag over time with its latest and highest value', async () => {
    const queries: string[] = [];
    server.use(
      http.get(
        `${BASE}/kafka/local/consumer-groups/billing/lag-history`,
        ({ request }) => {
          queries.push(new URL(request.url).search);
          return HttpResponse.json({
            groupId: 'billing',
            items: [point(1, 4), point(2, 9), point(3, 5)],
          });
        },
      ),
    );
    await renderArchon(<GroupLagHistory cluster="local" groupId="billing" />);
    expect(
      await screen.findByText(
        'Lag over the last 60 min (3 samples): now 5, highest 9',
      ),
    ).toBeInTheDocument();
    const chart = screen.getByTestId('group-lag-history');
    expect(chart.querySelector('svg polyline')).not.toBeNull();
    expect(queries).toEqual(['?minutes=60']);
  });

  it('says there is no history yet instead of drawing one point', async () => {
    server.use(
      http.get(`${BASE}/kafka/local/consumer-groups/billing/lag-history`, () =>
        HttpResponse.json({ groupId: 'billing', items: [point(1, 4)] }),
      ),
    );
    await renderArchon(<GroupLagHistory cluster="local" groupId="billing" />);
    expect(
      await screen.findByText(
        /No lag history yet.*1 sample in the last 60 min/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('group-lag-history')).not.toBeInTheDocument();
  });
});
