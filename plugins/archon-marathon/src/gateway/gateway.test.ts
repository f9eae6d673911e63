import request from 'supertest';
import { startHarness, type Harness } from '../__testUtils__/harness';
import {
  findConflicts,
  marathonLbRoutes,
  resolveUrl,
  routesOf,
  traefikRoutes,
} from './routesFromLabels';

jest.setTimeout(120_000);

describe('routes from labels', () => {
  it('reads marathon-lb labels per service port', () => {
    const routes = marathonLbRoutes('local', {
      id: '/shop/web',
      portDefinitions: [{ port: 10001 }, { port: 10002 }],
      healthChecks: [{ protocol: 'HTTP', portIndex: 1 }],
      labels: {
        HAPROXY_GROUP: 'external',
        HAPROXY_0_VHOST: 'Shop.example.com,www.example.com',
        HAPROXY_0_PATH: '-i /api /v2',
        HAPROXY_1_GROUP: 'internal',
        HAPROXY_1_PORT: '9000',
      },
    });
    expect(
      routes.map(r => [
        r.entry,
        r.vhost,
        r.path,
        r.port,
        r.mode,
        r.weight,
        r.portIndex,
      ]),
    ).toEqual([
      ['external', 'shop.example.com', '/api', 10001, 'http', 1, 0],
      ['external', 'shop.example.com', '/v2', 10001, 'http', 1, 0],
      ['external', 'www.example.com', '/api', 10001, 'http', 1, 0],
      ['external', 'www.example.com', '/v2', 10001, 'http', 1, 0],
      // No vhost, but an HTTP health check on the port: http mode on its own port.
      ['internal', undefined, undefined, 9000, 'http', 0, 1],
    ]);
    expect(routes[0].rule).toBe(
      'HAPROXY_0_PATH=-i /api /v2 HAPROXY_0_VHOST=Shop.example.com,www.example.com HAPROXY_GROUP=external',
    );
    expect(
      marathonLbRoutes('local', { id: '/plain', labels: { other: 'x' } }),
    ).toEqual([]);
  });

  it('reads Traefik v1 and v2 labels', () => {
    const v1 = traefikRoutes('local', {
      id: '/api',
      portDefinitions: [{ port: 10010 }, { port: 10011 }],
      labels: {
        'traefik.frontend.rule': 'Host:api.example.com;PathPrefix:/v1',
        'traefik.frontend.entryPoints': 'https',
        'traefik.admin.frontend.rule': 'Host:admin.example.com',
        'traefik.admin.portIndex': '1',
      },
    });
    expect(v1.map(r => [r.entry, r.vhost, r.path, r.servicePort])).toEqual([
      ['https', 'api.example.com', '/v1', 10010],
      ['https', 'admin.example.com', undefined, 10011],
    ]);
    const v2 = traefikRoutes('local', {
      id: '/orders',
      portDefinitions: [{ port: 10020 }],
      labels: {
        'traefik.http.routers.orders.rule':
          'Host(`orders.example.com`) && PathPrefix(`/orders`)',
        'traefik.http.routers.orders.entrypoints': 'websecure',
        'traefik.http.routers.orders.priority': '50',
      },
    });
    expect(v2).toEqual([
      expect.objectContaining({
        source: 'traefik',
        entry: 'websecure',
        vhost: 'orders.example.com',
        path: '/orders',
        weight: 50,
        mode: 'http',
        servicePort: 10020,
      }),
    ]);
    expect(
      traefikRoutes('local', {
        id: '/off',
        labels: {
          'traefik.enable': 'false',
          'traefik.frontend.rule': 'Host:x',
        },
      }),
    ).toEqual([]);
  });

  it('finds conflicts and resolves URLs by precedence', () => {
    const routes = [
      ...routesOf('local', {
        id: '/a',
        portDefinitions: [{ port: 1 }],
        labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'x.com' },
      }),
      ...routesOf('local', {
        id: '/b',
        portDefinitions: [{ port: 2 }],
        labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'x.com' },
      }),
      ...routesOf('local', {
        id: '/c',
        portDefinitions: [{ port: 3 }],
        labels: {
          HAPROXY_GROUP: 'external',
          HAPROXY_0_VHOST: 'x.com',
          HAPROXY_0_PATH: '/api',
        },
      }),
    ];
    expect(
      findConflicts(routes).map(c => [c.key, c.routes.map(r => r.appId)]),
    ).toEqual([['marathon-lb external: host x.com/', ['/a', '/b']]]);
    const api = resolveUrl(routes, new URL('http://x.com/api/orders'));
    expect(api.match?.appId).toBe('/c');
    expect(api.explanation).toMatch(
      /served by \/c .*2 other route\(s\) also match/,
    );
    const root = resolveUrl(routes, new URL('http://X.com/index.html'));
    expect(root.match?.appId).toBe('/a');
    expect(root.explanation).toMatch(
      /CONFLICT: \/b claims the same vhost x\.com/,
    );
    expect(
      resolveUrl(routes, new URL('http://nothing.com/')).explanation,
    ).toMatch(/No route matches host nothing\.com/);
  });
});

describe('/api/archon/gateway against the local Marathon', () => {
  let h: Harness;

  const createApp = async (app: object) => {
    const res = await fetch(`${h.marathon.url}/v2/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cmd: 'sleep 1000',
        instances: 0,
        cpus: 0.1,
        mem: 32,
        ...app,
      }),
    });
    expect(res.status).toBe(201);
  };

  beforeAll(async () => {
    h = await startHarness({ label: 'gateway' });
    await createApp({
      id: '/shop/web',
      portDefinitions: [{ port: 0, name: 'http' }],
      labels: {
        HAPROXY_GROUP: 'external',
        HAPROXY_0_VHOST: 'shop.example.com',
      },
    });
    await createApp({
      id: '/shop/web-canary',
      portDefinitions: [{ port: 0, name: 'http' }],
      labels: {
        HAPROXY_GROUP: 'external',
        HAPROXY_0_VHOST: 'shop.example.com',
      },
    });
    await createApp({
      id: '/shop/api',
      portDefinitions: [{ port: 0, name: 'http' }],
      labels: {
        HAPROXY_GROUP: 'external',
        HAPROXY_0_VHOST: 'shop.example.com',
        HAPROXY_0_PATH: '/api',
      },
    });
    await createApp({
      id: '/orders',
      portDefinitions: [{ port: 0, name: 'http' }],
      labels: {
        'traefik.http.routers.orders.rule': 'Host(`orders.example.com`)',
      },
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('lists routes derived from labels, with the service ports Marathon assigned, and reports conflicts', async () => {
    const res = await request(h.server).get(h.api('/gateway/routes'));
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(
      res.body.items.map(
        (r: any) =>
          `${r.source} ${r.appId} ${r.vhost}${r.path ?? ''} ${r.mode}`,
      ),
    ).toEqual([
      'traefik /orders orders.example.com http',
      'marathon-lb /shop/api shop.example.com/api http',
      'marathon-lb /shop/web shop.example.com http',
      'marathon-lb /shop/web-canary shop.example.com http',
    ]);
    expect(res.body.items[1].servicePort).toBeGreaterThanOrEqual(10000);
    expect(res.body.conflicts).toEqual([
      expect.objectContaining({
        key: 'marathon-lb external: host shop.example.com/',
        vhost: 'shop.example.com',
        path: '/',
      }),
    ]);
    expect(
      res.body.conflicts[0].routes.map((r: { appId: string }) => r.appId),
    ).toEqual(['/shop/web', '/shop/web-canary']);
    expect(
      (await request(h.server).get(h.api('/gateway/routes?instance=nope')))
        .status,
    ).toBe(400);
  });

  it('answers which app serves a URL, and by which rule', async () => {
    const api = await request(h.server).get(
      h.api('/gateway/resolve?url=http://shop.example.com/api/cart'),
    );
    expect(api.status).toBe(200);
    expect(api.body.match).toMatchObject({
      appId: '/shop/api',
      rule: 'HAPROXY_0_PATH=/api HAPROXY_0_VHOST=shop.example.com HAPROXY_GROUP=external',
    });
    const web = await request(h.server).get(
      h.api(
        `/gateway/resolve?url=${encodeURIComponent(
          'shop.example.com/index.html',
        )}`,
      ),
    );
    expect(web.body.match.appId).toBe('/shop/web');
    expect(web.body.explanation).toMatch(/CONFLICT: \/shop\/web-canary/);
    const orders = await request(h.server).get(
      h.api('/gateway/resolve?url=https://orders.example.com/'),
    );
    expect(orders.body.match).toMatchObject({
      appId: '/orders',
      source: 'traefik',
    });
    expect(
      (await request(h.server).get(h.api('/gateway/resolve'))).status,
    ).toBe(400);
  });
});
