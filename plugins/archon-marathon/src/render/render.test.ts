import type { MarathonInstanceConfig } from '../marathon/config';
import { rewriteMarathonPath } from '../marathon/appIdUrls';
import { appIdOf, parseAppId } from './appId';
import { diffAgainstRunning, diffJson } from './definitionDiff';
import { envNameOf, renderApp } from './renderApp';

const instance: MarathonInstanceConfig = {
  name: 'local',
  url: 'http://127.0.0.1:8080',
  requestTimeoutMs: 1000,
  mesosAgentUrl: 'http://{host}:5051',
  appIdPrefix: '',
  limits: { cpus: 8, mem: 4096, disk: 10_000, instances: 20 },
};

const render = (
  properties: Record<string, string>,
  extra: Partial<Parameters<typeof renderApp>[0]> = {},
) =>
  renderApp({
    instance,
    configPath: '/foo/bar/service-1',
    ensemble: 'local',
    properties,
    releaseId: 'rel-1',
    ...extra,
  });

function unprocessable(fn: () => unknown): {
  message: string;
  details: Array<{ path: string; errors: string[] }>;
} {
  try {
    fn();
  } catch (error) {
    expect((error as Error).name).toBe('UnprocessableError');
    return error as any;
  }
  throw new Error('expected a 422');
}

describe('app ids', () => {
  it('derives the app id from the configuration path', () => {
    expect(appIdOf('/foo/bar/service-1')).toBe('/foo/bar/service-1');
    expect(appIdOf('/Prod/team_a/App')).toBe('/prod/team-a/app');
    expect(appIdOf('/foo', '/archon')).toBe('/archon/foo');
  });

  it('refuses paths that cannot be Marathon ids, naming the segment', () => {
    expect(unprocessable(() => appIdOf('/foo/_tmp')).message).toMatch(
      /segment 2 "_tmp" becomes "-tmp"/,
    );
    expect(unprocessable(() => appIdOf('/foo/versions')).message).toMatch(
      /reserves "versions"/,
    );
  });

  it('validates app ids from URLs', () => {
    expect(parseAppId('foo/bar')).toBe('/foo/bar');
    expect(() => parseAppId('Foo/bar')).toThrow(/segment 1 "Foo"/);
    expect(() => parseAppId('a//b')).toThrow(/segment 2/);
  });

  it('finds where an app id ends in a readable URL', () => {
    expect(rewriteMarathonPath('/local/apps/foo/bar/service-1')).toBe(
      '/local/apps/foo%2Fbar%2Fservice-1',
    );
    expect(rewriteMarathonPath('/local/apps/foo/bar/tasks')).toBe(
      '/local/apps/foo%2Fbar/tasks',
    );
    expect(rewriteMarathonPath('/local/apps/foo/bar/tasks/t.1/logs')).toBe(
      '/local/apps/foo%2Fbar/tasks/t.1/logs',
    );
    expect(
      rewriteMarathonPath(
        '/local/apps/foo/versions/2024-01-01T00:00:00.000Z/diff',
      ),
    ).toBeUndefined();
    expect(rewriteMarathonPath('/local/apps/a/events/web')).toBe(
      '/local/apps/a%2Fevents%2Fweb',
    );
    expect(rewriteMarathonPath('/local/apps/foo')).toBeUndefined();
    expect(rewriteMarathonPath('/local/deployments')).toBeUndefined();
  });
});

describe('rendering', () => {
  it('turns keys into environment variables by the name rule', () => {
    expect(envNameOf('kafka.input.topics')).toBe('KAFKA_INPUT_TOPICS');
    expect(envNameOf('db-url')).toBe('DB_URL');
    expect(envNameOf('2fa.key')).toBe('_2FA_KEY');
  });

  it('renders the published example: marathon.* drives the definition, the rest is the environment', () => {
    const { app, secretFields } = render(
      {
        x: '6',
        y: '2',
        z: '3',
        w: '4',
        s: '3',
        'db.password': 'hunter2',
        'marathon.cmd': 'run.sh',
        'marathon.instances': '2',
        'marathon.cpus': '0.5',
        'marathon.mem': '256',
        'marathon.ports': 'http,admin:9090',
        'marathon.healthCheck.path': '/health',
        'marathon.healthCheck.intervalSeconds': '5',
        'marathon.constraints': 'hostname:UNIQUE;rack:GROUP_BY:3',
        'marathon.labels.HAPROXY_GROUP': 'external',
        'marathon.upgrade.minimumHealthCapacity': '0.5',
        'marathon.env.JAVA_OPTS': '-Xmx1g',
        'archon.owner': 'group:default/team-a',
      },
      { isSecretKey: k => k.includes('password') },
    );
    expect(app).toMatchObject({
      id: '/foo/bar/service-1',
      cmd: 'run.sh',
      instances: 2,
      cpus: 0.5,
      mem: 256,
      disk: 0,
      env: {
        X: '6',
        Y: '2',
        Z: '3',
        W: '4',
        S: '3',
        DB_PASSWORD: 'hunter2',
        JAVA_OPTS: '-Xmx1g',
      },
      labels: {
        HAPROXY_GROUP: 'external',
        ARCHON_CONFIG_PATH: '/foo/bar/service-1',
        ARCHON_RELEASE: 'rel-1',
        ARCHON_ENSEMBLE: 'local',
        ARCHON_MANAGED_BY: 'archon',
        ARCHON_OWNER: 'group:default/team-a',
        ARCHON_SECRET_ENV: 'DB_PASSWORD',
      },
      portDefinitions: [
        { port: 0, protocol: 'tcp', name: 'http' },
        { port: 9090, protocol: 'tcp', name: 'admin' },
      ],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/health',
          portIndex: 0,
          intervalSeconds: 5,
          gracePeriodSeconds: 300,
        },
      ],
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'GROUP_BY', '3'],
      ],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 1 },
    });
    expect(
      Object.keys(app.env!).some(
        k => k.startsWith('MARATHON') || k.startsWith('ARCHON'),
      ),
    ).toBe(false);
    expect(secretFields).toEqual(['env.DB_PASSWORD']);
  });

  it('renders images with bridge networking', () => {
    const { app } = render({
      'marathon.image': 'nginx:1.19',
      'marathon.network': 'bridge',
      'marathon.ports': 'http:80',
    });
    expect(app.container).toEqual({
      type: 'DOCKER',
      docker: { image: 'nginx:1.19', forcePullImage: false },
      portMappings: [
        { containerPort: 80, hostPort: 0, protocol: 'tcp', name: 'http' },
      ],
    });
    expect(app.networks).toEqual([{ mode: 'container/bridge' }]);
    expect(app.portDefinitions).toBeUndefined();
  });

  it('reports every problem at once, naming the keys', () => {
    const error = unprocessable(() =>
      render({
        'marathon.cpus': '-1',
        'marathon.mem': 'lots',
        'marathon.instances': '1000',
        'marathon.intances': '2',
        'marathon.healthCheck.path': '/health',
        'marathon.upgrade.maximumOverCapacity': '1.5',
        port: '8080',
        'a.b': '1',
        a_b: '2',
      }),
    );
    const byKey = Object.fromEntries(
      error.details.map(d => [d.path, d.errors.join(' | ')]),
    );
    expect(byKey['marathon.cpus']).toMatch(/greater than 0/);
    expect(byKey['marathon.mem']).toMatch(/not a number/);
    expect(byKey['marathon.instances']).toMatch(/more than the limit 20/);
    expect(byKey['marathon.intances']).toMatch(/unknown reserved key/);
    expect(byKey['marathon.cmd']).toMatch(/nothing to run/);
    expect(byKey['marathon.healthCheck.protocol']).toMatch(/needs a port/);
    expect(byKey['marathon.upgrade.maximumOverCapacity']).toMatch(
      /more than the limit 1/,
    );
    expect(byKey.port).toMatch(/Marathon sets for every task/);
    expect(byKey.a_b ?? byKey['a.b']).toMatch(
      /becomes the environment variable A_B/,
    );
    expect(error.message).toMatch(/cannot be rendered as a Marathon app/);
  });
});

describe('diffs', () => {
  it('compares only what archon renders, ignoring Marathon defaults, assigned ports and the release label', () => {
    const { app } = render({
      x: '1',
      'marathon.cmd': 'run.sh',
      'marathon.ports': 'http',
    });
    const running = {
      ...app,
      env: { X: '0', OLD: 'gone' },
      labels: { ...app.labels, ARCHON_RELEASE: 'rel-0' },
      portDefinitions: [
        { port: 10001, protocol: 'tcp', name: 'http', labels: {} },
      ],
      backoffSeconds: 1,
      version: '2020-01-01T00:00:00.000Z',
    };
    expect(diffAgainstRunning(running, app)).toEqual([
      { field: 'env.OLD', change: 'removed', before: 'gone' },
      { field: 'env.X', change: 'changed', before: '0', after: '1' },
    ]);
    expect(
      diffAgainstRunning(undefined, app).find(c => c.field === 'env.X'),
    ).toEqual({ field: 'env.X', change: 'added', after: '1' });
  });

  it('diffs two versions leaf by leaf', () => {
    expect(
      diffJson(
        { a: 1, h: [{ p: '/x' }], version: 'v1' },
        { a: 2, h: [{ p: '/y' }], version: 'v2' },
      ),
    ).toEqual([
      { field: 'a', change: 'changed', before: 1, after: 2 },
      { field: 'h[0].p', change: 'changed', before: '/x', after: '/y' },
    ]);
  });
});
