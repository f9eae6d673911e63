import { startTestServer, TestServer } from '../__testUtils__/testKit';

jest.setTimeout(60_000);

/**
 * Request validation, status codes and detail paths as Marathon 1.11 produces them:
 * RAML type/constraint errors -> 422 "Invalid JSON" with Play-JSON error keys; semantic
 * errors -> 422 "Object is not valid"; unparseable bodies -> 400.
 */
describe('app validation errors', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ portRange: { min: 33600, max: 33699 } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  const post = (body: unknown) => server.api.post('/v2/apps', body);
  const base = { cmd: 'sleep 100', instances: 0 };

  it.each([
    ['uppercase letters', '/MyApp'],
    ['an underscore', '/my_app'],
    ['a leading dash', '/-app'],
    ['a trailing dash', '/app-'],
    ['a space', '/my app'],
  ])('rejects an id with %s (RAML PathId pattern)', async (_, id) => {
    const response = await post({ ...base, id });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      message: 'Invalid JSON',
      details: [{ path: '/id', errors: ['error.pattern'] }],
    });
  });

  it('rejects ids ending in a reserved keyword', async () => {
    const response = await post({ ...base, id: '/group/versions' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/id',
          errors: [
            'must not end with any of the following reserved keywords: restart, tasks, versions, ., ..',
          ],
        },
      ],
    });
  });

  it('rejects the root id', async () => {
    const response = await post({ ...base, id: '/' });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('Object is not valid');
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        {
          path: '/id',
          errors: ['Path must contain at least one path element'],
        },
        { path: '/', errors: ['must not be root'] },
      ]),
    );
  });

  it('canonicalises relative ids and ".." segments', async () => {
    const created = await post({ ...base, id: 'a/b/../c' });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('/a/c');
    expect(created.headers.get('location')).toBe('/a/c');
    const app = await server.api.get('/v2/apps//a/c/');
    expect(app.body.app.id).toBe('/a/c');
  });

  it('requires an id', async () => {
    const response = await post({ cmd: 'sleep 1' });
    expect(response).toMatchObject({
      status: 422,
      body: {
        message: 'Invalid JSON',
        details: [{ path: '/id', errors: ['error.path.missing'] }],
      },
    });
  });

  it('reports wrong JSON types with Play-JSON keys', async () => {
    const response = await post({
      id: 123,
      cmd: ['x'],
      instances: 1.5,
      labels: { a: 1 },
      env: { A: true },
      requirePorts: 'yes',
    });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('Invalid JSON');
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { path: '/id', errors: ['error.expected.jsstring'] },
        { path: '/cmd', errors: ['error.expected.jsstring'] },
        { path: '/instances', errors: ['error.expected.int'] },
        { path: '/labels/a', errors: ['error.expected.jsstring'] },
        { path: '/env/A', errors: ['error.expected.jsstring'] },
        { path: '/requirePorts', errors: ['error.expected.jsboolean'] },
      ]),
    );
  });

  it('checks resources and instances', async () => {
    const response = await post({
      ...base,
      id: '/res',
      cpus: 0,
      mem: -1,
      disk: -1,
      gpus: -1,
      instances: -1,
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        { path: '/cpus', errors: ['error.min'] },
        { path: '/mem', errors: ['error.min'] },
        { path: '/disk', errors: ['error.min'] },
        { path: '/gpus', errors: ['error.min'] },
        { path: '/instances', errors: ['error.min'] },
      ]),
    );
  });

  it('checks health check fields and port indices', async () => {
    const ranges = await post({
      ...base,
      id: '/hc',
      healthChecks: [
        {
          protocol: 'GOPHER',
          gracePeriodSeconds: -1,
          intervalSeconds: -1,
          maxConsecutiveFailures: -1,
          portIndex: 70000,
        },
      ],
    });
    expect(ranges.status).toBe(422);
    expect(ranges.body.details).toEqual(
      expect.arrayContaining([
        {
          path: '/healthChecks(0)/protocol',
          errors: ['error.unknown.enum.literal'],
        },
        { path: '/healthChecks(0)/gracePeriodSeconds', errors: ['error.min'] },
        { path: '/healthChecks(0)/intervalSeconds', errors: ['error.min'] },
        {
          path: '/healthChecks(0)/maxConsecutiveFailures',
          errors: ['error.min'],
        },
        { path: '/healthChecks(0)/portIndex', errors: ['error.max'] },
      ]),
    );
    const index = await post({
      ...base,
      id: '/hc',
      portDefinitions: [{ port: 0 }],
      healthChecks: [{ protocol: 'TCP' }, { protocol: 'HTTP', portIndex: 1 }],
    });
    expect(index.status).toBe(422);
    expect(index.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/healthChecks(1)',
          errors: [
            'Health check port indices must address an element of the ports array or container port mappings.',
          ],
        },
      ],
    });
    const noCommand = await post({
      ...base,
      id: '/hc',
      healthChecks: [{ protocol: 'COMMAND' }],
    });
    expect(noCommand.body.details).toEqual([
      { path: '/healthChecks(0)/command', errors: ['not defined'] },
    ]);
    const twoMesos = await post({
      ...base,
      id: '/hc',
      healthChecks: [{ protocol: 'MESOS_HTTP' }, { protocol: 'MESOS_TCP' }],
    });
    expect(twoMesos.body.details).toEqual([
      {
        path: '/',
        errors: ['AppDefinition can contain at most one Mesos health check'],
      },
    ]);
  });

  it('checks the upgrade strategy range', async () => {
    const response = await post({
      ...base,
      id: '/us',
      upgradeStrategy: {
        minimumHealthCapacity: 1.5,
        maximumOverCapacity: -0.1,
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual(
      expect.arrayContaining([
        {
          path: '/upgradeStrategy/minimumHealthCapacity',
          errors: ['error.max'],
        },
        { path: '/upgradeStrategy/maximumOverCapacity', errors: ['error.min'] },
      ]),
    );
    const partial = await post({
      ...base,
      id: '/us',
      upgradeStrategy: { minimumHealthCapacity: 0.5 },
    });
    expect(partial.body.details).toEqual([
      {
        path: '/upgradeStrategy/maximumOverCapacity',
        errors: ['error.path.missing'],
      },
    ]);
  });

  it('checks cmd/args/container, ports and constraints', async () => {
    const both = await post({
      id: '/both',
      cmd: 'sleep 1',
      args: ['sleep', '1'],
    });
    expect(both.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/',
          errors: [
            "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
          ],
        },
      ],
    });
    const none = await post({ id: '/none' });
    expect(none.body.details[0].path).toBe('/');
    const ports = await post({
      ...base,
      id: '/ports',
      portDefinitions: [
        { port: 8080, name: 'a' },
        { port: 8080, name: 'a' },
      ],
    });
    expect(ports.body.details).toEqual([
      {
        path: '/portDefinitions',
        errors: ['Port names must be unique.', 'Ports must be unique.'],
      },
    ]);
    const portsAndDefinitions = await post({
      ...base,
      id: '/ports',
      ports: [1],
      portDefinitions: [{ port: 2 }],
    });
    expect(portsAndDefinitions.body.details).toEqual([
      { path: '/', errors: ['cannot specify both ports and port definitions'] },
    ]);
    const constraint = await post({
      ...base,
      id: '/c',
      constraints: [
        ['hostname', 'UNIQUE', 'x'],
        ['rack', 'MAX_PER', 'two'],
        ['a'],
      ],
    });
    expect(constraint.body.details).toEqual([
      { path: '/constraints(0)', errors: ['UNIQUE does not accept a value'] },
      {
        path: '/constraints(1)',
        errors: ['MAX_PER requires an integer value'],
      },
      {
        path: '/constraints(2)',
        errors: ['Each constraint must have either 2 or 3 fields'],
      },
    ]);
    const secretEnv = await post({
      ...base,
      id: '/s',
      env: { PASSWORD: { secret: 'pw' } },
    });
    expect(secretEnv.body.details).toEqual([
      {
        path: '/env',
        errors: [
          'use of secret-references in the environment requires the secrets feature to be enabled',
        ],
      },
    ]);
    const dockerWithoutImage = await post({
      id: '/d',
      container: { type: 'DOCKER', docker: { image: '' } },
    });
    expect(dockerWithoutImage.body.details).toEqual([
      { path: '/container/docker/image', errors: ['must not be empty'] },
    ]);
  });

  it('answers 400 for bodies that are not JSON', async () => {
    const broken = await server.api.request('POST', '/v2/apps', '{"id": "/x",');
    expect(broken.status).toBe(400);
    expect(broken.body.message).toBe('Invalid JSON');
    expect(typeof broken.body.details).toBe('string');
    const empty = await server.api.request('POST', '/v2/apps', '');
    expect(empty).toMatchObject({
      status: 400,
      body: { message: 'Please specify data in JSON format' },
    });
    const form = await server.api.request(
      'POST',
      '/v2/apps',
      '{"id":"/f","cmd":"sleep 1"}',
      { 'Content-Type': 'text/plain' },
    );
    expect(form).toMatchObject({
      status: 415,
      body: { message: 'Unsupported Media Type' },
    });
    const notAnObject = await server.api.request('POST', '/v2/apps', '[1]');
    expect(notAnObject).toMatchObject({
      status: 422,
      body: {
        message: 'Invalid JSON',
        details: [{ path: '', errors: ['error.expected.jsobject'] }],
      },
    });
  });

  it('validates updates the same way and rejects groups clashing with apps', async () => {
    const created = await post({ ...base, id: '/upd' });
    expect(created.status).toBe(201);
    const bad = await server.api.patch('/v2/apps/upd', { instances: -2 });
    expect(bad).toMatchObject({
      status: 422,
      body: { details: [{ path: '/instances', errors: ['error.min'] }] },
    });
    const missing = await server.api.patch('/v2/apps/missing', {
      instances: 1,
    });
    expect(missing).toMatchObject({
      status: 404,
      body: { message: "App '/missing' does not exist" },
    });
    const clash = await post({ ...base, id: '/upd/child' });
    expect(clash).toMatchObject({
      status: 422,
      body: {
        message: 'Object is not valid',
        details: [
          {
            path: '/',
            errors: [
              'Groups and Applications may not have the same identifier.',
            ],
          },
        ],
      },
    });
    // PUT on an unknown id creates the app: 201 with Location.
    const put = await server.api.put('/v2/apps/created-by-put', {
      cmd: 'sleep 1',
      instances: 0,
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('location')).toBe('/created-by-put');
    expect(put.body).toEqual({
      version: expect.any(String),
      deploymentId: put.headers.get('marathon-deployment-id'),
    });
    // An unchanged PUT keeps the version (no config or scale change).
    await server.api.waitForDeployments();
    const before = (await server.api.get('/v2/apps/created-by-put')).body.app
      .version;
    const same = await server.api.put('/v2/apps/created-by-put', {
      cmd: 'sleep 1',
    });
    expect(same.status).toBe(200);
    expect(
      (await server.api.get('/v2/apps/created-by-put')).body.app.version,
    ).toBe(before);
  });
});
