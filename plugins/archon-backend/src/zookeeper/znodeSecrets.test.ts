import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

/*
 * Raw znode reads of configuration levels mask secrets like the
 * configuration routes do, for whoever may not reveal them; an export made
 * masked cannot be imported back over the real values.
 */

const cluster = getTestCluster();
const ns = testNamespace('znode-secrets');
const root = `${ns.zkRoot}/pheidippides`;

type Backend = Awaited<ReturnType<typeof startArchonTestBackend>>;
let revealing: Backend;
let masking: Backend;

function start(reveal: boolean) {
  return startArchonTestBackend({
    zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
    features: [
      archonPlugin,
      mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'archon.config.secrets.reveal' && !reveal
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    ],
  });
}

beforeAll(async () => {
  [revealing, masking] = await Promise.all([start(true), start(false)]);
  const put = await request(revealing.server)
    .put('/api/archon/config/sets/shop/cart')
    .send({
      properties: { 'db.password': 'hunter2', 'db.url': 'jdbc:pg://db' },
    });
  if (put.status !== 200)
    throw new Error(
      `the secret's set was not written: ${put.status} ${put.text}`,
    );
  await request(revealing.server)
    .put('/api/archon/config/sets/shop/plain')
    .send({ properties: { color: 'blue' } });
});

afterAll(async () => {
  await Promise.all([revealing?.stop(), masking?.stop()]);
});

const znode = (server: Backend['server'], path: string) =>
  request(server).get(`/api/archon/zookeeper/local/znodes${path}`);

it('masks the secret values of a configuration level in a raw read for a caller who may not reveal them', async () => {
  const res = await znode(masking.server, `${root}/shop/cart`);
  expect(res.status).toBe(200);
  expect(res.body.masked).toBe(true);
  expect(res.body.configPath).toBe('/shop/cart');
  expect(JSON.stringify(res.body)).not.toContain('hunter2');
  const text = Buffer.from(res.body.data.base64, 'base64').toString('utf8');
  expect(text).toContain('db.url');
  expect(text).toContain('********');
});

it('shows the stored data to a caller who may reveal, and levels without secrets unchanged', async () => {
  const revealed = await znode(revealing.server, `${root}/shop/cart`);
  expect(revealed.body.masked).toBeUndefined();
  expect(
    Buffer.from(revealed.body.data.base64, 'base64').toString('utf8'),
  ).toContain('hunter2');
  const plain = await znode(masking.server, `${root}/shop/plain`);
  expect(plain.body.masked).toBeUndefined();
  expect(
    Buffer.from(plain.body.data.base64, 'base64').toString('utf8'),
  ).toContain('blue');
});

it('masks an export of the configuration tree and refuses to import it back', async () => {
  const exported = await request(masking.server).get(
    `/api/archon/zookeeper/local/export${root}`,
  );
  expect(exported.status).toBe(200);
  expect(exported.body.masked).toBe(true);
  expect(JSON.stringify(exported.body)).not.toContain('hunter2');
  const imported = await request(masking.server)
    .post(`/api/archon/zookeeper/local/import${root}`)
    .send({ snapshot: exported.body, mode: 'merge', dryRun: true });
  expect(imported.status).toBe(422);
  expect(imported.body.error.message).toMatch(/masked secret values/);
  // The stored secret is untouched.
  const stored = await znode(revealing.server, `${root}/shop/cart`);
  expect(
    Buffer.from(stored.body.data.base64, 'base64').toString('utf8'),
  ).toContain('hunter2');
  const full = await request(revealing.server).get(
    `/api/archon/zookeeper/local/export${root}`,
  );
  expect(full.body.masked).toBeUndefined();
  expect(JSON.stringify(full.body)).toContain('hunter2');
});
