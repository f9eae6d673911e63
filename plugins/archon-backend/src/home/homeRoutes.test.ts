/*
 * GET /home/summary (#18) on the shared ZooKeeper: the failing-levels count
 * is what the configuration tree marks failing (one rule: a template level
 * that leaves references for deeper levels is open), counts whose source is not
 * configured or not permitted say unknown with why (never 0).
 */
import { eventually } from '@archon/local-cluster/testing';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(120_000);

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let denied: Awaited<ReturnType<typeof startArchonTestBackend>>;

const summary = async (server: Parameters<typeof request>[0]) => {
  const res = await request(server).get('/api/archon/home/summary');
  expect(res.status).toBe(200);
  return res.body as {
    counts: {
      id: string;
      count?: number;
      unknown?: string;
      items?: string[];
    }[];
  };
};
const byId = async (server: Parameters<typeof request>[0], id: string) =>
  (await summary(server)).counts.find(c => c.id === id)!;

/** The levels the tree marks `failing` (or `open`), depth-first. */
function pathsMarked(
  node: { path: string; children?: any[]; [mark: string]: unknown },
  mark: 'failing' | 'open',
): string[] {
  return [
    ...(node[mark] ? [node.path] : []),
    ...(node.children ?? []).flatMap(c => pathsMarked(c, mark)),
  ];
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    label: 'home-summary',
    features: [archonPlugin],
  });
  denied = await startArchonTestBackend({
    label: 'home-summary-denied',
    features: [archonPlugin],
    deny: ({ permission }) => permission === 'archon.graph.read',
  });
});

afterAll(async () => {
  await backend?.stop();
  await denied?.stop();
});

it('counts the levels that fail to resolve, as the tree marks them; a template level is open, not failing', async () => {
  const put = (path: string, properties: object) =>
    request(backend.server)
      .put(`/api/archon/config/sets${path}`)
      .send({ properties, force: true })
      .expect(res => expect(res.status).toBeLessThan(300));
  await put('/home', { base: 'b' });
  await put('/home/ok', { url: '${base}' });
  // A template: ${app} is left for each level below to define.
  await put('/home/tmpl', { url: '${base}/${app}' });
  await put('/home/tmpl/a', { app: 'a' });
  await put('/home/tmpl/b', { other: 'x' });
  // A cycle no deeper level can repair: failing, and so is the level below.
  await put('/home/cycle', { x: '${y}', y: '${x}' });
  await put('/home/cycle/deeper', { z: '1' });

  const tree = await request(backend.server).get(
    '/api/archon/config/tree?prefix=/&depth=8',
  );
  expect(tree.status).toBe(200);
  const failing = pathsMarked(tree.body, 'failing').sort();
  expect(failing).toEqual([
    '/home/cycle',
    '/home/cycle/deeper',
    '/home/tmpl/b',
  ]);
  expect(pathsMarked(tree.body, 'open')).toEqual(['/home/tmpl']);

  // The graph follows the cache's change events: wait for it to catch up.
  await eventually(async () => {
    const count = await byId(backend.server, 'config-levels-failing');
    expect(count.count).toBe(failing.length);
    expect(count.items).toEqual(failing);
  });

  // Fixed: the leaf defines what its template leaves open, and the count drops.
  await put('/home/tmpl/b', { app: 'b' });
  await eventually(async () => {
    const count = await byId(backend.server, 'config-levels-failing');
    expect(count.items).toEqual(['/home/cycle', '/home/cycle/deeper']);
  });
});

it('says unknown, with why, for counts whose system is not configured', async () => {
  const { counts } = await summary(backend.server);
  expect(counts.map(c => c.id)).toEqual([
    'apps-failing',
    'connectors-failing',
    'groups-lagging',
    'drift-edges',
    'config-levels-failing',
    'config-undeployed',
  ]);
  for (const id of ['apps-failing', 'config-undeployed']) {
    const count = counts.find(c => c.id === id)!;
    expect(count.count).toBeUndefined();
    expect(count.unknown).toBe('no marathon system is configured');
  }
  expect(counts.find(c => c.id === 'groups-lagging')!.unknown).toBe(
    'no kafka system is configured',
  );
});

it('says unknown for every count the caller may not read', async () => {
  const { counts } = await summary(denied.server);
  expect(counts).toHaveLength(6);
  for (const count of counts) {
    expect(count.count).toBeUndefined();
    expect(count.unknown).toBe(
      'you may not read it: it needs the permission "archon.graph.read"',
    );
  }
});
