import { screen } from '@testing-library/react';
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
import { GatewayPage } from './GatewayPage';

const route = (appId: string, vhost: string, path: string) => ({
  source: 'marathon-lb',
  instance: 'local',
  appId,
  portIndex: 0,
  servicePort: 10001,
  entry: 'external',
  vhost,
  path,
  port: 80,
  mode: 'http',
  rule: 'HAPROXY_0_VHOST',
});

describe('GatewayPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists routes to apps with conflicts first and highlighted, and resolves a URL', async () => {
    const user = userEvent.setup({ delay: null });
    const a = route('/shop/cart', 'shop.example.com', '/cart');
    const b = route('/shop/cart-v2', 'shop.example.com', '/cart');
    const c = route('/web', 'www.example.com', '/');
    server.use(
      healthHandler(),
      http.get(`${BASE}/gateway/routes`, () =>
        HttpResponse.json({
          items: [c, a, b],
          conflicts: [
            {
              key: 'shop.example.com/cart:80',
              vhost: 'shop.example.com',
              path: '/cart',
              port: 80,
              routes: [a, b],
            },
          ],
          errors: [{ instance: 'other', message: 'connect ECONNREFUSED' }],
        }),
      ),
      http.get(`${BASE}/gateway/resolve`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('url')).toBe(
          'http://www.example.com/x',
        );
        return HttpResponse.json({
          url: 'http://www.example.com/x',
          match: c,
          candidates: [c],
          explanation: 'www.example.com / is the longest matching path.',
        });
      }),
    );
    await renderArchon(<GatewayPage />);
    expect(await screen.findByText('Routes (3)')).toBeInTheDocument();
    expect(screen.getByLabelText('Route conflicts')).toHaveTextContent(
      'shop.example.com/cart on port 80 (/shop/cart, /shop/cart-v2)',
    );
    expect(
      screen.getByText(
        /Marathon "other" could not be read: connect ECONNREFUSED/,
      ),
    ).toBeInTheDocument();
    // The resolver is above the table.
    expect(
      screen
        .getByLabelText('URL')
        .compareDocumentPosition(screen.getByText('Routes (3)')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    const rows = screen
      .getAllByRole('row')
      .filter(row => row.closest('tbody') && row.textContent);
    // Three routes, three rows: no blank rows padding the page to 20.
    expect(
      screen.getAllByRole('row').filter(row => row.closest('tbody')),
    ).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('conflict: shop.example.com/cart:80');
    expect(rows[1]).toHaveTextContent('conflict: shop.example.com/cart:80');
    expect(rows[2]).toHaveTextContent('www.example.com');
    expect(rows[0]).toHaveStyle('background-color: rgba(244, 67, 54, 0.12)');
    expect(rows[2]).not.toHaveStyle(
      'background-color: rgba(244, 67, 54, 0.12)',
    );

    await user.type(screen.getByLabelText('URL'), 'http://www.example.com/x');
    await user.click(screen.getByRole('button', { name: 'Resolve' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      '/web on local serves it. www.example.com / is the longest matching path.',
    );
  }, 90_000);

  it('shows an empty list and the API error', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/gateway/routes`, () =>
        HttpResponse.json({ items: [], conflicts: [] }),
      ),
    );
    const { unmount } = await renderArchon(<GatewayPage />);
    expect(
      await screen.findByText(/No app has public route labels/),
    ).toBeInTheDocument();
    unmount();
    server.use(
      http.get(`${BASE}/gateway/routes`, () =>
        errorBody(500, 'Error', 'gateway failed'),
      ),
    );
    await renderArchon(<GatewayPage />);
    expect(
      (await screen.findAllByText(/gateway failed/)).length,
    ).toBeGreaterThan(0);
  });
});
