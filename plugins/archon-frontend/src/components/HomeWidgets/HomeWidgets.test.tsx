import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { appEntity, BASE, renderArchon } from '../../__testUtils__';
import {
  configRouteRef,
  connectRouteRef,
  kafkaRouteRef,
  kafkaTopicRouteRef,
  marathonRouteRef,
  pipelinesRouteRef,
} from '../../routes';
import { AttentionWidget } from './AttentionWidget';
import { GraphSearchWidget } from './GraphSearchWidget';
import { RecentDeploysWidget } from './RecentDeploysWidget';
import { ageText, SystemHealthWidget } from './SystemHealthWidget';

const mountedRoutes = {
  '/archon/config': configRouteRef,
  '/archon/connect': connectRouteRef,
  '/archon/kafka': kafkaRouteRef,
  '/archon/kafka/:cluster/topics/:topic': kafkaTopicRouteRef,
  '/archon/marathon': marathonRouteRef,
  '/archon/pipelines': pipelinesRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

describe('Home widgets', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('SystemHealthWidget: each system in the glossary words, since when, and the age of its probe', async () => {
    // Kafka went down 4 min ago; ZooKeeper has been up since archon's first probe.
    const downSince = new Date(Date.now() - 4 * 60_000);
    const upSince = new Date(Date.now() - 2 * 3600_000);
    const clock = (d: Date) =>
      d.toLocaleTimeString([], {
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      });
    server.use(
      http.get(`${BASE}/health`, () => {
        // Probed 4 s before archon answered.
        const probed = new Date(Date.now() - 4000).toISOString();
        return HttpResponse.json({
          status: 'degraded',
          checkedAt: probed,
          systems: [
            {
              kind: 'marathon',
              name: 'local',
              status: 'up',
              latencyMs: 2,
              checkedAt: probed,
            },
            {
              kind: 'kafka',
              name: 'local',
              status: 'unreachable',
              error: 'no answer within 3000 ms',
              latencyMs: 3000,
              checkedAt: probed,
              since: downSince.toISOString(),
            },
            {
              kind: 'zookeeper',
              name: 'local',
              status: 'up',
              version: '3.9.5',
              latencyMs: 1,
              checkedAt: probed,
              since: upSince.toISOString(),
              sinceUnknownBefore:
                "archon's first probe of this system was at …",
            },
          ],
        });
      }),
    );
    await renderArchon(<SystemHealthWidget />);
    const list = await screen.findByTestId('home-system-health');
    const items = within(list).getAllByRole('listitem');
    // ZooKeeper first, then Kafka, then Marathon.
    expect(items.map(i => i.textContent)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^up ZooKeeper ensemble localup since at least ${clock(
            upSince,
          )} \\(for 2 h\\) · probed ([4-9]|1[0-9]) s ago · 3\\.9\\.5`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^unreachable Kafka cluster localunreachable since ${clock(
            downSince,
          )} \\(for 4 min\\) · probed ([4-9]|1[0-9]) s ago · no answer within 3000 ms`,
        ),
      ),
      expect.stringMatching(/^up Marathon instance local/),
    ]);
    expect(ageText(125_000)).toBe('2 min');
  });

  it('AttentionWidget: each count links to its filtered page; unknown says why, never 0', async () => {
    server.use(
      http.get(`${BASE}/home/summary`, () =>
        HttpResponse.json({
          generatedAt: '2026-12-05T07:00:00.000Z',
          counts: [
            {
              id: 'apps-failing',
              label: 'apps crash-looping or degraded',
              count: 2,
              items: ['app:local/a', 'app:local/b'],
            },
            {
              id: 'connectors-failing',
              label: 'connectors with failed tasks',
              count: 0,
              items: [],
            },
            {
              id: 'groups-lagging',
              label: 'consumer groups lagging',
              unknown:
                'the kafka graph contributor has not read its systems yet',
            },
            {
              id: 'drift-edges',
              label: 'drift edges in the graph',
              count: 1,
              items: ['app:local/a -> topic:local/t'],
            },
            {
              id: 'config-levels-failing',
              label: 'configuration levels that do not resolve',
              count: 1,
              items: ['/shop/broken'],
            },
            {
              id: 'config-undeployed',
              label: 'apps with configuration changes not yet deployed',
              count: 2,
              items: ['/shop/cart', '/shop/pay'],
            },
          ],
        }),
      ),
    );
    await renderArchon(<AttentionWidget />, { mountedRoutes });
    const list = await screen.findByTestId('home-attention');
    const row = (id: string) =>
      list.querySelector(`[data-count="${id}"]`) as HTMLElement;
    expect(within(row('apps-failing')).getByRole('link')).toHaveAttribute(
      'href',
      '/archon/marathon?state=crash-looping,degraded',
    );
    expect(within(row('drift-edges')).getByRole('link')).toHaveAttribute(
      'href',
      '/archon/pipelines?drift=true',
    );
    expect(
      within(row('config-levels-failing')).getByRole('link'),
    ).toHaveAttribute('href', '/archon/config?failing=true');
    // Its rows are on the Configuration page's list: not named under the count.
    expect(within(row('config-undeployed')).getByRole('link')).toHaveAttribute(
      'href',
      '/archon/config?undeployed=true',
    );
    expect(row('config-undeployed').textContent).toBe(
      '2apps with configuration changes not yet deployed',
    );
    // Zero is a figure without a link; unknown is never shown as 0.
    expect(row('connectors-failing').textContent).toMatch(/^0connectors/);
    expect(within(row('connectors-failing')).queryByRole('link')).toBeNull();
    expect(row('groups-lagging').textContent).toBe(
      'unknownconsumer groups laggingthe kafka graph contributor has not read its systems yet',
    );
  });

  it('RecentDeploysWidget: outcome per deployment, linking to the app’s Deploy tab', async () => {
    server.use(
      http.get(`${BASE}/deployments`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('limit')).toBe('8');
        return HttpResponse.json({
          items: [
            {
              id: 'rel-2',
              kind: 'deploy',
              status: 'failed',
              instance: 'local',
              workloadId: '/team/svc-1',
              configPath: '/team/svc-1',
              actor: 'user:default/guest',
              startedAt: '2026-12-05T07:00:00.000Z',
              outcome: { result: 'failed', reason: 'tasks kept failing' },
            },
            {
              id: 'op-1',
              kind: 'scale',
              status: 'succeeded',
              instance: 'local',
              workloadId: '/other',
            },
          ],
        });
      }),
    );
    await renderArchon(<RecentDeploysWidget />, {
      mountedRoutes,
      entities: [
        appEntity({
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/team/svc-1',
        }),
      ],
    });
    const list = await screen.findByTestId('home-recent-deploys');
    expect(
      await within(list).findByRole('link', { name: '/team/svc-1' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/local.team.svc-1/deploy',
    );
    const items = within(list).getAllByRole('listitem');
    expect(items[0].textContent).toMatch(
      /^failed deploy \/team\/svc-1.*tasks kept failing/,
    );
    // No catalog entity: the app's name without a link.
    expect(items[1].textContent).toMatch(/^succeeded scale \/other/);
    expect(within(items[1]).queryByRole('link')).toBeNull();
  });

  it('GraphSearchWidget: finds nodes and links each where it is looked at', async () => {
    server.use(
      http.get(`${BASE}/graph/search`, ({ request }) => {
        const q = new URL(request.url).searchParams.get('q');
        return HttpResponse.json({
          total: q === 'sample' ? 2 : 0,
          items:
            q === 'sample'
              ? [
                  {
                    id: 'topic:local/sample.raw',
                    kind: 'topic',
                    name: 'sample.raw',
                    system: 'kafka',
                    cluster: 'local',
                    contributors: ['kafka'],
                  },
                  {
                    id: 'config:/sample',
                    kind: 'config-path',
                    name: '/sample',
                    system: 'zookeeper',
                    contributors: ['config'],
                  },
                ]
              : [],
        });
      }),
    );
    await renderArchon(<GraphSearchWidget />, { mountedRoutes });
    await userEvent.type(
      screen.getByLabelText(/Search apps, topics/),
      'sample',
    );
    expect(
      await screen.findByRole('link', { name: 'sample.raw' }),
    ).toHaveAttribute('href', '/archon/kafka/local/topics/sample.raw');
    expect(screen.getByRole('link', { name: '/sample' })).toHaveAttribute(
      'href',
      '/archon/config?path=%2Fsample',
    );
    await userEvent.clear(screen.getByLabelText(/Search apps, topics/));
    await userEvent.type(screen.getByLabelText(/Search apps, topics/), 'zz');
    expect(
      await screen.findByText('Nothing in the graph matches "zz".'),
    ).toBeInTheDocument();
  });

  it('GraphSearchWidget: the same topic name on two clusters is two results, each saying its cluster (#20)', async () => {
    const topicOn = (cluster: string) => ({
      id: `topic:${cluster}/sample.aggregated`,
      kind: 'topic',
      name: 'sample.aggregated',
      system: 'kafka',
      cluster,
      contributors: ['kafka'],
    });
    server.use(
      http.get(`${BASE}/graph/search`, () =>
        HttpResponse.json({
          total: 2,
          items: [topicOn('dr'), topicOn('local')],
        }),
      ),
    );
    await renderArchon(<GraphSearchWidget />, { mountedRoutes });
    await userEvent.type(
      screen.getByLabelText(/Search apps, topics/),
      'sample.aggregated',
    );
    const links = await screen.findAllByRole('link', {
      name: 'sample.aggregated',
    });
    expect(links.map(l => l.getAttribute('href'))).toEqual([
      '/archon/kafka/dr/topics/sample.aggregated',
      '/archon/kafka/local/topics/sample.aggregated',
    ]);
    const items = within(screen.getByTestId('home-graph-results')).getAllByRole(
      'listitem',
    );
    expect(items.map(i => i.textContent)).toEqual([
      'sample.aggregatedtopic · dr',
      'sample.aggregatedtopic · local',
    ]);
  });
});
