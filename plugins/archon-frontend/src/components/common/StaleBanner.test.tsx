import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { EffectiveConfigView } from '../ConfigPage/EffectiveConfigView';
import { StaleBanner } from './StaleBanner';

const answer = (extra: object) => ({
  path: '/svc',
  properties: { color: 'blue' },
  provenance: { color: { definedAt: '/svc', raw: 'blue', shadowed: [] } },
  versions: { '/svc': 3 },
  masked: false,
  ...extra,
});

describe('StaleBanner', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows a stale effective configuration with a banner saying how old it is', async () => {
    const asOf = '2026-12-04T22:00:00.000Z';
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, () =>
        HttpResponse.json(answer({ stale: true, asOf })),
      ),
    );
    await renderArchon(<EffectiveConfigView path="/svc" />);
    expect(await screen.findByText('blue')).toBeInTheDocument();
    // WarningPanel prefixes its title ("Warning: …").
    expect(screen.getByRole('alert').textContent).toContain(
      `ZooKeeper is not reachable: showing what archon last saw, as of ${new Date(
        asOf,
      ).toLocaleString()}`,
    );
  });

  it('shows nothing for a current answer', async () => {
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, () =>
        HttpResponse.json(answer({})),
      ),
    );
    await renderArchon(<EffectiveConfigView path="/svc" />);
    expect(await screen.findByText('blue')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says "an earlier time" when the answer has no usable asOf', async () => {
    await renderArchon(<StaleBanner answer={{ stale: true }} system="Kafka" />);
    expect(screen.getByRole('alert').textContent).toContain(
      'Kafka is not reachable: showing what archon last saw, as of an earlier time',
    );
  });
});
