/*
 * The permission sweep for every kind of principal, with Backstage's real
 * auth, permission backend and policy (nothing of identity is mocked):
 *
 * - a signed-in user whom the policy denies archon's permissions,
 * - a static token whose `accessRestrictions` name only `archon.health.read`,
 * - a plugin's own service token (no restrictions at all: Backstage would
 *   allow it everything, archon grants it nothing),
 *
 * each gets 403 naming the permission from every mutating route and
 * sensitive read of the served OpenAPI document, and nothing changes.
 *
 * Then the secrets sweep: a configuration set holding a secret is read
 * through every GET route by the guest user (the local policy: not a secret
 * reader) and by the static token that start.sh generates (app-config.yaml's
 * own `externalAccess` entry); neither sees the secret in any answer, error
 * or the audit log, which names the token as a service, and nothing the
 * backend logs (every level, every plugin) holds it either.
 */
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import request from 'supertest';
import { ArchonLocalPermissionPolicy } from '../modules/ArchonLocalPermissionPolicy';
import {
  appConfigExternalAccess,
  startIdentityBackend,
  type IdentityBackend,
} from '../__testUtils__/identityBackend';
import {
  sampleOperations,
  type OpenApiDocument,
  type SampleOperation,
} from '../__testUtils__/openApiSamples';
import { sweptOperations } from '../__testUtils__/sweptOperations';

jest.setTimeout(180_000);

const automationToken = `automation-${randomBytes(12).toString('hex')}`;
const restrictedToken = `restricted-${randomBytes(12).toString('hex')}`;
const revealingToken = `revealing-${randomBytes(12).toString('hex')}`;
const secret = `hunter2-${randomBytes(6).toString('hex')}`;

/**
 * Every line the backend logs: the test backend's root logger at debug level
 * writes through console, which is kept here (and not printed) to be searched.
 */
const logged: string[] = [];
const serialize = (value: unknown) =>
  typeof value === 'string'
    ? value
    : JSON.stringify(value, (_key, v) =>
        v instanceof Error ? { message: v.message, stack: v.stack } : v,
      );
for (const level of ['error', 'warn', 'info', 'debug', 'log'] as const) {
  jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
    logged.push(args.map(serialize).join(' '));
  });
}

/** Users: denied everything of archon's until the secrets sweep switches to the local policy. */
let usersDenied = true;

let backend: IdentityBackend;
let spec: OpenApiDocument;
let tokens: Record<
  'user' | 'restricted static token' | 'plugin service token',
  string
>;

beforeAll(async () => {
  // The guest provider signs in only in development, as the embedded profile runs.
  process.env.NODE_ENV = 'development';
  backend = await startIdentityBackend({
    label: 'principal-sweep',
    features: [mockServices.rootLogger.factory({ level: 'debug' })],
    policy: ({ userInfo }): PermissionPolicy => {
      const local = new ArchonLocalPermissionPolicy({
        userInfo,
        secretReaders: [],
      });
      return {
        async handle(req, user) {
          if (usersDenied && req.permission.name.startsWith('archon.'))
            return { result: AuthorizeResult.DENY };
          return local.handle(req, user);
        },
      };
    },
    externalAccess: [
      ...appConfigExternalAccess(automationToken),
      {
        type: 'static',
        options: { token: restrictedToken, subject: 'health-probe' },
        accessRestrictions: [
          { plugin: 'archon', permission: 'archon.health.read' },
        ],
      },
      {
        type: 'static',
        options: { token: revealingToken, subject: 'secret-reader' },
        accessRestrictions: [
          {
            plugin: 'archon',
            permission: ['archon.config.read', 'archon.config.secrets.reveal'],
          },
        ],
      },
    ],
  });
  const served = await request(backend.server)
    .get('/api/archon/openapi.json')
    .set('Authorization', `Bearer ${automationToken}`);
  if (served.status !== 200)
    throw new Error(`archon serves no OpenAPI document: ${served.status}`);
  spec = served.body;
  tokens = {
    user: await backend.guestToken(),
    'restricted static token': restrictedToken,
    'plugin service token': await backend.pluginToken(),
  };
});

afterAll(async () => {
  await backend?.stop();
});

function send(op: SampleOperation, token: string) {
  const call = (request(backend.server) as any)
    [op.method](op.url)
    .set('Accept', 'application/json')
    .set('Authorization', `Bearer ${token}`);
  return op.body === undefined ? call : call.send(op.body);
}

describe.each([
  'user',
  'restricted static token',
  'plugin service token',
] as const)('a %s', kind => {
  it('gets 403 naming the permission from every mutating route and sensitive read', async () => {
    const names = {
      zkRoot: backend.zkRoot,
      topic: `${backend.ns.topicPrefix}sweep`,
      group: `${backend.ns.groupPrefix}sweep`,
      connector: `${backend.ns.topicPrefix}conn`,
    };
    const operations = sweptOperations(spec, names);
    for (const system of [
      'config',
      'zookeeper',
      'deployments',
      'kafka',
      'connect',
      'audit',
    ]) {
      expect(
        operations.some(op => op.specPath.startsWith(`/api/archon/${system}`)),
      ).toBe(true);
    }
    const unprotected: string[] = [];
    for (const op of operations) {
      const res = await send(op, tokens[kind]);
      const message: string = res.body?.error?.message ?? '';
      if (res.status !== 403 || !/permission "archon\.[a-z.]+"/.test(message)) {
        unprotected.push(
          `${op.method.toUpperCase()} ${op.specPath} → ${res.status} ${
            message || res.text.slice(0, 200)
          }`,
        );
      }
    }
    expect(unprotected).toEqual([]);

    // Nothing changed: what the sweep would have created does not exist.
    const asAutomation = (url: string) =>
      request(backend.server)
        .get(url)
        .set('Authorization', `Bearer ${automationToken}`);
    expect(
      (await asAutomation('/api/archon/config/sets/sweep/app')).status,
    ).toBe(404);
    expect(
      (
        await asAutomation(
          `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
            `${backend.zkRoot}/sweep`,
          )}`,
        )
      ).status,
    ).toBe(404);
    expect(
      (await asAutomation(`/api/archon/kafka/local/topics/${names.topic}`))
        .status,
    ).toBe(404);
    const successes = await asAutomation('/api/archon/audit?outcome=success');
    expect(successes.status).toBe(200);
    expect(successes.body.items).toEqual([]);
  });
});

describe('the token start.sh generates', () => {
  it('may use every permission archon registers but revealing secrets', async () => {
    const metadata = await request(backend.server)
      .get('/api/archon/.well-known/backstage/permissions/metadata')
      .set('Authorization', `Bearer ${await backend.pluginToken()}`);
    expect(metadata.status).toBe(200);
    const registered: string[] = metadata.body.permissions.map(
      (p: { name: string }) => p.name,
    );
    expect(registered).toContain('archon.config.secrets.reveal');
    const [entry] = appConfigExternalAccess(automationToken) as Array<{
      accessRestrictions: Array<{ plugin: string; permission?: string[] }>;
    }>;
    const granted = entry.accessRestrictions.find(
      r => r.plugin === 'archon',
    )?.permission;
    expect([...(granted ?? [])].sort()).toEqual(
      registered.filter(name => name !== 'archon.config.secrets.reveal').sort(),
    );
  });
});

describe('the secrets sweep', () => {
  const configPath = '/secrets/app';

  beforeAll(async () => {
    usersDenied = false;
    const put = await request(backend.server)
      .put(`/api/archon/config/sets${configPath}`)
      .set('Authorization', `Bearer ${automationToken}`)
      .send({ properties: { 'db.password': secret, 'db.user': 'app' } });
    if (put.status !== 200)
      throw new Error(
        `the secret's set was not written: ${put.status} ${put.text}`,
      );
  });

  /** Every GET route of the spec but the event streams (raw znode reads and exports included), aimed at the secret's set. */
  function reads(): SampleOperation[] {
    return sampleOperations(spec, {
      pathParams: {
        configPath,
        ensemble: 'local',
        znodePath: `${backend.zkRoot}${configPath}`,
        cluster: 'local',
        instance: 'local',
        topic: `${backend.ns.topicPrefix}none`,
        group: `${backend.ns.groupPrefix}none`,
        name: `${backend.ns.topicPrefix}none`,
        appId: configPath,
        taskId: 'secrets-app.0',
        deploymentId: 'none',
        id: 'none',
        nodeId: `config:${configPath}`,
        task: '0',
        broker: '1',
        version: '2026-01-01T00:00:00.000Z',
      },
    }).filter(op => op.method === 'get' && !op.specPath.endsWith('/events'));
  }

  it('is reachable: a token allowed to reveal reads it', async () => {
    const res = await request(backend.server)
      .get(`/api/archon/config/sets${configPath}`)
      .set('Authorization', `Bearer ${revealingToken}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(secret);
  });

  it.each([
    ['the guest user (not a secret reader)', () => tokens.user],
    ['the token start.sh generates', () => automationToken],
  ])(
    'never shows it to %s: no answer, error or audit entry holds it',
    async (_label, token) => {
      const leaks: string[] = [];
      let answered = 0;
      for (const op of reads()) {
        const res = await send(op, token());
        if (res.status === 200) answered++;
        if (res.text.includes(secret))
          leaks.push(`GET ${op.specPath} → ${res.status}`);
      }
      expect(leaks).toEqual([]);
      expect(answered).toBeGreaterThan(10);
      const set = await send(
        {
          method: 'get',
          specPath: '',
          url: `/api/archon/config/sets${configPath}`,
        },
        token(),
      );
      expect(set.status).toBe(200);
      expect(set.body.properties['db.password']).toBe('********');
    },
  );

  it('never writes it to the backend log, at any level', () => {
    // The sweep above ran every read; the write of the secret is logged too if anything is.
    expect(logged.length).toBeGreaterThan(10);
    expect(logged.filter(line => line.includes(secret))).toEqual([]);
  });

  it('audits the token as a service by its subject', async () => {
    const log = await request(backend.server)
      .get('/api/archon/audit?action=config-set-put')
      .set('Authorization', `Bearer ${automationToken}`);
    expect(log.status).toBe(200);
    expect(log.body.items).toContainEqual(
      expect.objectContaining({
        actor: 'service:archon-automation',
        outcome: 'success',
        target: expect.objectContaining({ resource: configPath }),
      }),
    );
    const history = await request(backend.server)
      .get(`/api/archon/config/history${configPath}`)
      .set('Authorization', `Bearer ${automationToken}`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('service:archon-automation');
    expect(history.text).not.toContain(secret);
  });
});
