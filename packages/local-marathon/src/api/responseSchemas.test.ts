import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import {
  httpServerCommand,
  startTestServer,
  TestServer,
} from '../__testUtils__/testKit';

jest.setTimeout(120_000);

const SCHEMA_DIR = path.join(
  __dirname,
  '..',
  '__fixtures__',
  'marathon-json-schema',
);
const SCHEMA_BASE =
  'https://raw.githubusercontent.com/mesosphere/marathon/master/docs/docs/rest-api/public/api/v2/schema/';

/**
 * Fields of GET /v2/apps/{id} app objects that AppDefinition.json (a request schema with
 * additionalProperties: false) does not know: the status fields of AppInfo, and `role`
 * (added in Marathon 1.9, after the schema was frozen in 1.8).
 */
const APP_RESPONSE_ONLY_FIELDS = [
  'role',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
];
/** GroupInfo fields Group.json does not know: `pods` (1.4+) and `enforceRole` (1.9+). */
const GROUP_RESPONSE_ONLY_FIELDS = ['pods', 'enforceRole'];

function loadSchema(name: string): Record<string, unknown> {
  const schema = JSON.parse(
    fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8'),
  );
  // The files declare "http://json-schema.org/schema#", which draft-04 validators do not
  // resolve; they are draft-04 schemas.
  delete schema.$schema;
  schema.id = `${SCHEMA_BASE}${name}`;
  return schema;
}

function createValidators() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat(
    'date-time',
    value =>
      !Number.isNaN(Date.parse(value)) && /^\d{4}-\d\d-\d\dT/.test(value),
  );
  ajv.addSchema(loadSchema('AppDefinition.json'));
  ajv.addSchema(loadSchema('Group.json'));
  return {
    app: ajv.getSchema(`${SCHEMA_BASE}AppDefinition.json`)!,
    group: ajv.getSchema(`${SCHEMA_BASE}Group.json`)!,
  };
}

function definitionPart(app: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(app).filter(
      ([key]) => !APP_RESPONSE_ONLY_FIELDS.includes(key),
    ),
  );
}

function groupDefinitionPart(group: any): any {
  const rest = Object.fromEntries(
    Object.entries(group).filter(
      ([key]) => !GROUP_RESPONSE_ONLY_FIELDS.includes(key),
    ),
  ) as any;
  return {
    ...rest,
    apps: rest.apps.map(definitionPart),
    groups: rest.groups.map(groupDefinitionPart),
  };
}

describe('responses validate against the reference JSON schemas', () => {
  let server: TestServer;
  const validators = createValidators();

  const apps = [
    {
      id: '/schema/full',
      cmd: httpServerCommand(),
      instances: 1,
      cpus: 0.1,
      mem: 16,
      env: { A: 'b' },
      labels: { HAPROXY_GROUP: 'external' },
      constraints: [['hostname', 'UNIQUE']],
      portDefinitions: [
        { port: 0, name: 'http', labels: { vip: '1.2.3.4:80' } },
      ],
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/',
          portIndex: 0,
          gracePeriodSeconds: 300,
          intervalSeconds: 1,
        },
        {
          protocol: 'COMMAND',
          command: { value: 'true' },
          delaySeconds: 0,
          intervalSeconds: 1,
        },
      ],
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
      fetch: [{ uri: 'https://example.com/app.tgz' }],
      killSelection: 'OLDEST_FIRST',
    },
    { id: '/schema/args', args: ['sleep', '600'], cpus: 0.1, mem: 16 },
    {
      id: '/schema/docker',
      container: {
        type: 'DOCKER',
        docker: {
          image: 'nginx:1.19',
          parameters: [{ key: 'label', value: 'x' }],
        },
        portMappings: [{ containerPort: 80, hostPort: 0, name: 'http' }],
        volumes: [{ containerPath: '/data', hostPath: '/tmp', mode: 'RW' }],
      },
      networks: [{ mode: 'container/bridge' }],
      cpus: 0.1,
      mem: 16,
      instances: 0,
    },
    {
      id: '/legacy',
      cmd: 'sleep 600',
      ports: [0, 0],
      uris: ['https://example.com/a.zip'],
      cpus: 0.1,
      mem: 16,
      instances: 0,
    },
  ];

  beforeAll(async () => {
    server = await startTestServer({ portRange: { min: 33500, max: 33599 } });
    for (const app of apps) {
      const response = await server.api.post('/v2/apps', app);
      if (response.status !== 201)
        throw new Error(`creating ${app.id} failed: ${response.text}`);
    }
    await server.api.waitForDeployments();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(apps.map(app => app.id))(
    'GET /v2/apps%s matches AppDefinition.json apart from response-only fields',
    async id => {
      const { body } = await server.api.get(
        `/v2/apps${id}?embed=app.taskStats&embed=app.readiness`,
      );
      const app = body.app;
      // The raw response only breaks the schema through the documented response-only fields.
      validators.app(app);
      const unknown = (validators.app.errors ?? []).map(error => {
        expect(error.keyword).toBe('additionalProperties');
        expect(error.instancePath).toBe('');
        return (error.params as { additionalProperty: string })
          .additionalProperty;
      });
      expect(
        unknown.every(field => APP_RESPONSE_ONLY_FIELDS.includes(field)),
      ).toBe(true);
      expect(unknown).toEqual(
        expect.arrayContaining([
          'role',
          'tasksRunning',
          'deployments',
          'tasks',
        ]),
      );

      const valid = validators.app(definitionPart(app));
      expect(validators.app.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it('GET /v2/apps/{id}/versions/{version} is a plain definition', async () => {
    const { body } = await server.api.get('/v2/apps/schema/full/versions');
    const version = await server.api.get(
      `/v2/apps/schema/full/versions/${body.versions[0]}`,
    );
    expect(validators.app(definitionPart(version.body))).toBe(true);
    expect(
      Object.keys(version.body).filter(key =>
        APP_RESPONSE_ONLY_FIELDS.includes(key),
      ),
    ).toEqual(['role']);
  });

  it("GET /v2/groups matches Group.json apart from pods/enforceRole and the apps' role", async () => {
    const { body } = await server.api.get('/v2/groups');
    expect(body.groups.map((g: any) => g.id)).toEqual(['/schema']);
    const valid = validators.group(groupDefinitionPart(body));
    expect(validators.group.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // Unstripped, the schema rejects exactly the documented extra fields.
    validators.group(body);
    const extra = new Set(
      (validators.group.errors ?? [])
        .filter(error => error.keyword === 'additionalProperties')
        .map(
          error =>
            (error.params as { additionalProperty: string }).additionalProperty,
        ),
    );
    expect([...extra].sort()).toEqual(['enforceRole', 'pods', 'role']);
  });

  it('normalises deprecated fields like the server', async () => {
    const legacy = (await server.api.get('/v2/apps/legacy')).body.app;
    expect(legacy.ports).toBeUndefined();
    expect(legacy.uris).toBeUndefined();
    expect(legacy.portDefinitions).toEqual([
      { port: expect.any(Number), protocol: 'tcp' },
      { port: expect.any(Number), protocol: 'tcp' },
    ]);
    expect(legacy.fetch).toEqual([
      {
        uri: 'https://example.com/a.zip',
        extract: true,
        executable: false,
        cache: false,
      },
    ]);
  });
});
