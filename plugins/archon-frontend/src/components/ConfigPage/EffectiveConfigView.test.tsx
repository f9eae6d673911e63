import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  BASE,
  configPathParam,
  errorBody,
  renderArchon,
} from '../../__testUtils__';
import { EffectiveConfigView } from './EffectiveConfigView';

describe('EffectiveConfigView', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows each key with the level that set it, its raw value and what it shadows', async () => {
    const user = userEvent.setup({ delay: null });
    const requested: string[] = [];
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, ({ params }) => {
        requested.push(configPathParam(params));
        return HttpResponse.json({
          path: '/team/app/svc',
          properties: {
            url: 'http://db:5432',
            port: '5432',
            'db.password': '********',
          },
          provenance: {
            url: { definedAt: '/team', raw: 'http://db:${port}', shadowed: [] },
            port: {
              definedAt: '/team/app/svc',
              raw: '5432',
              shadowed: [{ path: '/team', raw: '5431' }],
            },
            'db.password': {
              definedAt: '/team/app',
              raw: '********',
              shadowed: [],
            },
          },
          versions: { '/team': 2, '/team/app': 0, '/team/app/svc': 5 },
          masked: true,
        });
      }),
    );
    const selected: string[] = [];
    await renderArchon(
      <EffectiveConfigView
        path="/team/app/svc"
        onSelectLevel={p => selected.push(p)}
      />,
    );

    const portRow = (await screen.findByText('port')).closest('tr')!;
    expect(within(portRow).getByText('/team/app/svc')).toBeInTheDocument();
    expect(within(portRow).getByText('/team: 5431')).toBeInTheDocument();
    const urlRow = screen.getByText('url').closest('tr')!;
    expect(
      within(urlRow).getByText('from http://db:${port}'),
    ).toBeInTheDocument();
    const secretRow = screen.getByText('db.password').closest('tr')!;
    expect(within(secretRow).getByText('masked')).toBeInTheDocument();
    expect(
      screen.getByText(
        /revealing them needs the permission archon.config.secrets.reveal/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Levels: /team (v2), /team/app (v0), /team/app/svc (v5)',
      ),
    ).toBeInTheDocument();
    expect(requested).toEqual(['/team/app/svc']);

    await user.click(within(urlRow).getByRole('button', { name: '/team' }));
    expect(selected).toEqual(['/team']);
  });

  it('lists every resolution problem when the path does not resolve', async () => {
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, () =>
        errorBody(422, 'ConfigResolutionError', 'Cannot resolve', {
          details: {
            path: '/p',
            problems: [
              {
                kind: 'missing-key',
                message:
                  'key "q" (written at "/p") references "${missing}", but "missing" is not defined for "/p"',
              },
              { kind: 'cycle', message: 'a -> b -> a' },
            ],
            unresolvedKeys: ['q', 'a', 'b'],
          },
        }),
      ),
    );
    await renderArchon(<EffectiveConfigView path="/p" />);
    expect(
      await screen.findByText(/The configuration of \/p does not resolve/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"missing" is not defined for "\/p"/),
    ).toBeInTheDocument();
    expect(screen.getByText('a -> b -> a')).toBeInTheDocument();
    expect(screen.getByText('Unresolved keys: q, a, b')).toBeInTheDocument();
  });

  it('shows the keys that resolve and lists the others with why (explain=partial)', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({
          path: '/p',
          properties: { good: 'yes' },
          provenance: {
            good: { definedAt: '/p', raw: 'yes', shadowed: [] },
          },
          versions: { '/p': 3 },
          errors: [
            {
              key: 'bad',
              reason:
                'key "bad" (written at "/p") references "${nope}", but "nope" is not defined for "/p"',
            },
          ],
        });
      }),
    );
    await renderArchon(<EffectiveConfigView path="/p" />);
    expect(
      await screen.findByText(
        /The configuration of \/p does not resolve: 1 key/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"nope" is not defined for "\/p"/),
    ).toBeInTheDocument();
    expect(screen.getByText('good')).toBeInTheDocument();
    expect(queries).toEqual(['?explain=partial']);
  });

  it('says when the level does not exist, and shows other errors', async () => {
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, ({ params }) =>
        configPathParam(params) === '/gone'
          ? errorBody(
              404,
              'NotFoundError',
              'There is no configuration level /gone',
            )
          : errorBody(
              503,
              'ServiceUnavailableError',
              'ZooKeeper ensemble "local" is not connected',
            ),
      ),
    );
    const { unmount } = await renderArchon(
      <EffectiveConfigView path="/gone" />,
    );
    expect(
      await screen.findByText('There is no configuration level /gone'),
    ).toBeInTheDocument();
    unmount();
    await renderArchon(<EffectiveConfigView path="/down" />);
    expect(
      (
        await screen.findAllByText(
          /ZooKeeper ensemble "local" is not connected/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});
