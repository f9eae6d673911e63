import { http, HttpResponse } from 'msw';
import { BASE, healthHandler } from './index';

/**
 * The Marathon page's reads of one instance running one app archon deployed
 * (`/team/svc-1`, from that path), nothing deploying or queued: what the
 * row-action tests render.
 */
export function oneMarathonAppReads(instance: string) {
  return [
    healthHandler(),
    http.get(`${BASE}/marathon`, () =>
      HttpResponse.json({ items: [{ name: instance, url: 'http://m' }] }),
    ),
    http.get(`${BASE}/marathon/${instance}/apps`, () =>
      HttpResponse.json({
        items: [
          {
            id: '/team/svc-1',
            status: 'running',
            instances: 1,
            staged: 0,
            running: 1,
            healthy: 0,
            unhealthy: 0,
            deployments: [],
            configPath: '/team/svc-1',
          },
        ],
      }),
    ),
    http.get(`${BASE}/marathon/${instance}/deployments`, () =>
      HttpResponse.json({ items: [] }),
    ),
    http.get(`${BASE}/marathon/${instance}/queue`, () =>
      HttpResponse.json({ items: [] }),
    ),
  ];
}

const stat = {
  czxid: '0x1',
  mzxid: '0x1',
  pzxid: '0x1',
  ctime: '',
  mtime: '',
  version: 1,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: '0x0',
  ephemeral: false,
  dataLength: 1,
  numChildren: 0,
};

/**
 * The ZooKeeper page's reads of the znode `/cfg` (text `x`) on `ensemble`,
 * among the configured `ensembles`: what the write-permission tests render.
 */
export function cfgZnodeReads(ensemble: string, ensembles = [ensemble]) {
  return [
    http.get(`${BASE}/health`, () =>
      HttpResponse.json({
        status: 'up',
        checkedAt: '',
        systems: ensembles.map(name => ({
          kind: 'zookeeper',
          name,
          status: 'up',
          latencyMs: 1,
        })),
      }),
    ),
    http.get(`${BASE}/zookeeper/${ensemble}/children/:path`, () =>
      HttpResponse.json({ path: '/', stat, total: 0, limit: 100, items: [] }),
    ),
    http.get(`${BASE}/zookeeper/${ensemble}/znodes/:path`, () =>
      HttpResponse.json({
        path: '/cfg',
        stat,
        data: { format: 'text', size: 1, base64: 'eA==', text: 'x' },
      }),
    ),
    http.get(`${BASE}/zookeeper/${ensemble}/acl/:path`, () =>
      HttpResponse.json({ path: '/cfg', aclVersion: 0, acls: [] }),
    ),
  ];
}
