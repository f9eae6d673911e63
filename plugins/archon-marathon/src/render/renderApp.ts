import { UnprocessableError } from '@archon/plugin-archon-node';
import type { MarathonInstanceConfig } from '../marathon/config';
import type { MarathonApp, MarathonHealthCheck } from '../client/types';
import { appIdOf } from './appId';

/** Labels archon puts on every app it deploys, so any running app leads back to its configuration. */
export const ARCHON_LABELS = {
  configPath: 'ARCHON_CONFIG_PATH',
  release: 'ARCHON_RELEASE',
  ensemble: 'ARCHON_ENSEMBLE',
  managedBy: 'ARCHON_MANAGED_BY',
  owner: 'ARCHON_OWNER',
  lifecycle: 'ARCHON_LIFECYCLE',
  system: 'ARCHON_SYSTEM',
  description: 'ARCHON_DESCRIPTION',
  /** Comma list of the environment variables that hold secrets (masked by archon's monitoring routes). */
  secretEnv: 'ARCHON_SECRET_ENV',
} as const;

/** `archon.*` keys that become labels (the catalog reads them). */
const ARCHON_KEY_LABELS: Record<string, string> = {
  'archon.owner': ARCHON_LABELS.owner,
  'archon.lifecycle': ARCHON_LABELS.lifecycle,
  'archon.system': ARCHON_LABELS.system,
  'archon.description': ARCHON_LABELS.description,
};

/** Prefixes of configuration keys that drive the definition and are never exported as environment. */
export const RESERVED_PREFIXES = ['marathon.', 'archon.'] as const;

/** The `marathon.*` keys (besides `marathon.labels.*` and `marathon.env.*`). */
export const MARATHON_KEYS = [
  'marathon.cmd',
  'marathon.args',
  'marathon.image',
  'marathon.forcePullImage',
  'marathon.network',
  'marathon.instances',
  'marathon.cpus',
  'marathon.mem',
  'marathon.disk',
  'marathon.ports',
  'marathon.requirePorts',
  'marathon.healthCheck.protocol',
  'marathon.healthCheck.path',
  'marathon.healthCheck.command',
  'marathon.healthCheck.portIndex',
  'marathon.healthCheck.gracePeriodSeconds',
  'marathon.healthCheck.intervalSeconds',
  'marathon.healthCheck.timeoutSeconds',
  'marathon.healthCheck.maxConsecutiveFailures',
  'marathon.healthCheck.delaySeconds',
  'marathon.constraints',
  'marathon.upgrade.minimumHealthCapacity',
  'marathon.upgrade.maximumOverCapacity',
  'marathon.backoffSeconds',
  'marathon.backoffFactor',
  'marathon.maxLaunchDelaySeconds',
  'marathon.taskKillGracePeriodSeconds',
  'marathon.user',
  'marathon.fetch',
] as const;

const HEALTH_PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'TCP',
  'COMMAND',
  'MESOS_HTTP',
  'MESOS_HTTPS',
  'MESOS_TCP',
];
const CONSTRAINT_OPERATORS = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
];

/**
 * Environment variables Marathon and Mesos set for every task. A configuration
 * key whose name rule would produce one of them is refused: it would silently
 * replace e.g. the task's port. (`marathon.env.<NAME>` may still set them.)
 */
const TASK_VARIABLES =
  /^(PORT|PORTS|PORT\d+|PORT_.+|HOST|MESOS_.+|MARATHON_.+|LIBPROCESS_.+)$/;

/**
 * The environment variable name of a configuration key: upper case, every
 * character other than A-Z and 0-9 replaced by `_`, and a leading `_` when it
 * would start with a digit. `kafka.input.topics` → `KAFKA_INPUT_TOPICS`,
 * `db-url` → `DB_URL`, `2fa.key` → `_2FA_KEY`.
 */
export function envNameOf(key: string): string {
  const name = key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function isReservedKey(key: string): boolean {
  return RESERVED_PREFIXES.some(prefix => key.startsWith(prefix));
}

export interface RenderInput {
  instance: MarathonInstanceConfig;
  configPath: string;
  ensemble: string;
  properties: Readonly<Record<string, string>>;
  releaseId?: string;
  isSecretKey?: (key: string) => boolean;
  /** Kept when `marathon.instances` is not set (a scale through archon outlives the next deploy). */
  scaledInstances?: number;
}

export interface RenderedApp {
  app: MarathonApp;
  /** `env.NAME` / `labels.NAME` fields whose values come from secret keys. */
  secretFields: string[];
}

/** Collects every problem of one configuration, reported together as one 422. */
class Problems {
  readonly list: Array<{ path: string; errors: string[] }> = [];
  add(key: string, error: string) {
    const entry = this.list.find(e => e.path === key);
    if (entry) entry.errors.push(error);
    else this.list.push({ path: key, errors: [error] });
  }
}

/**
 * Renders a Marathon app definition from an effective configuration (see the
 * README for the rules): `marathon.*` keys drive the definition, `archon.*`
 * keys are archon's metadata (labels), every other key becomes an
 * environment variable by {@link envNameOf}. The app id comes from the
 * configuration path; labels name the path, release and ensemble.
 */
export function renderApp(input: RenderInput): RenderedApp {
  const { properties, instance } = input;
  const problems = new Problems();
  const has = (key: string) => Object.hasOwn(properties, key);
  const str = (key: string) => (has(key) ? properties[key].trim() : undefined);
  const isSecret = input.isSecretKey ?? (() => false);

  const num = (
    key: string,
    options: {
      min?: number;
      max?: number;
      int?: boolean;
      def?: number;
      above?: number;
    },
  ) => {
    const raw = str(key);
    if (raw === undefined || raw === '') return options.def;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      problems.add(key, `"${raw}" is not a number`);
      return options.def;
    }
    if (options.int && !Number.isInteger(value))
      problems.add(key, `"${raw}" is not a whole number`);
    if (options.min !== undefined && value < options.min)
      problems.add(key, `${value} is less than ${options.min}`);
    if (options.above !== undefined && value <= options.above)
      problems.add(key, `${value} must be greater than ${options.above}`);
    if (options.max !== undefined && value > options.max)
      problems.add(key, `${value} is more than the limit ${options.max}`);
    return value;
  };
  const bool = (key: string) => {
    const raw = str(key);
    if (raw === undefined || raw === '') return undefined;
    if (/^(true|yes|1)$/i.test(raw)) return true;
    if (/^(false|no|0)$/i.test(raw)) return false;
    problems.add(key, `"${raw}" is not true or false`);
    return undefined;
  };

  // Unknown marathon.* keys are typos: refuse them rather than ship them as nothing.
  for (const key of Object.keys(properties)) {
    if (
      key.startsWith('marathon.') &&
      !(MARATHON_KEYS as readonly string[]).includes(key) &&
      !key.startsWith('marathon.labels.') &&
      !key.startsWith('marathon.env.')
    ) {
      problems.add(
        key,
        `unknown reserved key; the marathon.* keys are ${MARATHON_KEYS.join(
          ', ',
        )}, marathon.labels.<NAME>, marathon.env.<NAME>`,
      );
    }
  }

  let id = '';
  try {
    id = appIdOf(input.configPath, instance.appIdPrefix);
  } catch (error) {
    problems.add('(configuration path)', (error as Error).message);
  }

  // ---------------------------------------------------------------- what runs
  const cmd = str('marathon.cmd');
  const image = str('marathon.image');
  let args: string[] | undefined;
  if (has('marathon.args')) {
    try {
      const parsed = JSON.parse(properties['marathon.args']);
      if (!Array.isArray(parsed) || parsed.some(a => typeof a !== 'string'))
        throw new Error('not an array of strings');
      args = parsed;
    } catch {
      problems.add(
        'marathon.args',
        'must be a JSON array of strings, e.g. ["--port", "8080"]',
      );
    }
  }
  if (cmd && args)
    problems.add('marathon.cmd', 'set marathon.cmd or marathon.args, not both');
  if (!cmd && !args && !image) {
    problems.add(
      'marathon.cmd',
      'nothing to run: set marathon.cmd (a shell command), marathon.args, or marathon.image',
    );
  }
  const network = (str('marathon.network') ?? 'host').toLowerCase();
  if (!['host', 'bridge'].includes(network))
    problems.add('marathon.network', `"${network}" must be host or bridge`);
  if (network === 'bridge' && !image)
    problems.add(
      'marathon.network',
      'bridge networking needs a container: set marathon.image',
    );

  // ---------------------------------------------------------------- resources
  const limits = instance.limits;
  const instances = num('marathon.instances', {
    min: 0,
    int: true,
    max: limits.instances,
    def: input.scaledInstances ?? 1,
  })!;
  const cpus = num('marathon.cpus', {
    above: 0,
    min: 0.001,
    max: limits.cpus,
    def: 1,
  })!;
  const mem = num('marathon.mem', { above: 0, max: limits.mem, def: 128 })!;
  const disk = num('marathon.disk', { min: 0, max: limits.disk, def: 0 })!;

  // ---------------------------------------------------------------- ports
  const ports: Array<{ name: string; number?: number }> = [];
  for (const item of (str('marathon.ports') ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)) {
    const match = /^([a-z][a-z0-9-]*)(?::(\d+))?$/.exec(item);
    if (!match) {
      problems.add(
        'marathon.ports',
        `"${item}" must be a port name (a-z, 0-9, -), optionally with a number: http or http:8080`,
      );
      continue;
    }
    const number = match[2] === undefined ? undefined : Number(match[2]);
    if (number !== undefined && number > 65535)
      problems.add('marathon.ports', `${number} is not a port number`);
    if (ports.some(p => p.name === match[1]))
      problems.add(
        'marathon.ports',
        `the port name "${match[1]}" is used twice`,
      );
    ports.push({ name: match[1], number });
  }
  const requirePorts = bool('marathon.requirePorts');

  // ---------------------------------------------------------------- health check
  const healthChecks: MarathonHealthCheck[] = [];
  const hcPath = str('marathon.healthCheck.path');
  const hcCommand = str('marathon.healthCheck.command');
  let hcProtocol = str('marathon.healthCheck.protocol')?.toUpperCase();
  if (hcPath || hcCommand || hcProtocol) {
    hcProtocol ??= hcCommand ? 'COMMAND' : 'HTTP';
    if (!HEALTH_PROTOCOLS.includes(hcProtocol)) {
      problems.add(
        'marathon.healthCheck.protocol',
        `"${hcProtocol}" must be one of ${HEALTH_PROTOCOLS.join(', ')}`,
      );
    }
    const check: MarathonHealthCheck = { protocol: hcProtocol };
    if (hcProtocol === 'COMMAND') {
      if (!hcCommand)
        problems.add(
          'marathon.healthCheck.command',
          'a COMMAND health check needs marathon.healthCheck.command',
        );
      check.command = { value: hcCommand ?? '' };
    } else {
      if (/HTTP/.test(hcProtocol)) check.path = hcPath ?? '/';
      check.portIndex = num('marathon.healthCheck.portIndex', {
        min: 0,
        int: true,
        def: 0,
      });
      if (ports.length === 0) {
        problems.add(
          'marathon.healthCheck.protocol',
          `a ${hcProtocol} health check needs a port: set marathon.ports, e.g. http`,
        );
      } else if (check.portIndex! >= ports.length) {
        problems.add(
          'marathon.healthCheck.portIndex',
          `${check.portIndex} is not one of the ${ports.length} port(s) in marathon.ports`,
        );
      }
    }
    check.gracePeriodSeconds = num('marathon.healthCheck.gracePeriodSeconds', {
      min: 0,
      int: true,
      def: 300,
    });
    check.intervalSeconds = num('marathon.healthCheck.intervalSeconds', {
      min: 1,
      int: true,
      def: 60,
    });
    check.timeoutSeconds = num('marathon.healthCheck.timeoutSeconds', {
      min: 1,
      int: true,
      def: 20,
    });
    check.maxConsecutiveFailures = num(
      'marathon.healthCheck.maxConsecutiveFailures',
      { min: 0, int: true, def: 3 },
    );
    check.delaySeconds = num('marathon.healthCheck.delaySeconds', {
      min: 0,
      int: true,
      def: 15,
    });
    healthChecks.push(check);
  }

  // ---------------------------------------------------------------- placement and upgrades
  const constraints = parseConstraints(str('marathon.constraints'), problems);
  const upgradeStrategy = {
    minimumHealthCapacity: num('marathon.upgrade.minimumHealthCapacity', {
      min: 0,
      max: 1,
      def: 1,
    })!,
    maximumOverCapacity: num('marathon.upgrade.maximumOverCapacity', {
      min: 0,
      max: 1,
      def: 1,
    })!,
  };

  // ---------------------------------------------------------------- environment
  const env: Record<string, string> = {};
  const envSource: Record<string, string> = {};
  const secretFields: string[] = [];
  for (const key of Object.keys(properties).sort()) {
    if (isReservedKey(key)) continue;
    const name = envNameOf(key);
    if (TASK_VARIABLES.test(name)) {
      problems.add(
        key,
        `would become the environment variable ${name}, which Marathon sets for every task; rename the key (or set marathon.env.${name} to override it on purpose)`,
      );
      continue;
    }
    if (envSource[name] !== undefined) {
      problems.add(
        key,
        `becomes the environment variable ${name}, like "${envSource[name]}"; rename one of them`,
      );
      continue;
    }
    env[name] = properties[key];
    envSource[name] = key;
    if (isSecret(key)) secretFields.push(`env.${name}`);
  }
  for (const key of Object.keys(properties)
    .filter(k => k.startsWith('marathon.env.'))
    .sort()) {
    const name = key.slice('marathon.env.'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      problems.add(key, `"${name}" is not a valid environment variable name`);
      continue;
    }
    if (
      envSource[name] !== undefined &&
      !envSource[name].startsWith('marathon.env.')
    ) {
      problems.add(
        key,
        `sets ${name}, which "${envSource[name]}" already becomes; remove one of them`,
      );
      continue;
    }
    env[name] = properties[key];
    envSource[name] = key;
    if (isSecret(key)) secretFields.push(`env.${name}`);
  }

  // ---------------------------------------------------------------- labels
  const labels: Record<string, string> = {};
  for (const key of Object.keys(properties)
    .filter(k => k.startsWith('marathon.labels.'))
    .sort()) {
    const name = key.slice('marathon.labels.'.length);
    if (name.startsWith('ARCHON_')) {
      problems.add(
        key,
        "labels starting with ARCHON_ are archon's own (use archon.owner etc.)",
      );
      continue;
    }
    labels[name] = properties[key];
    if (isSecret(key)) secretFields.push(`labels.${name}`);
  }
  for (const [key, label] of Object.entries(ARCHON_KEY_LABELS)) {
    if (has(key)) labels[label] = properties[key];
  }
  labels[ARCHON_LABELS.managedBy] = 'archon';
  labels[ARCHON_LABELS.configPath] = input.configPath;
  labels[ARCHON_LABELS.ensemble] = input.ensemble;
  if (input.releaseId) labels[ARCHON_LABELS.release] = input.releaseId;
  const secretEnv = secretFields
    .filter(f => f.startsWith('env.'))
    .map(f => f.slice(4));
  if (secretEnv.length) labels[ARCHON_LABELS.secretEnv] = secretEnv.join(',');

  const fetch = (str('marathon.fetch') ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(uri => ({
      uri,
      executable: false,
      extract: /\.(tgz|tar\.gz|tar|zip|tar\.bz2|txz)$/.test(uri),
      cache: false,
    }));

  const optional: Array<[string, number | undefined]> = [
    ['backoffSeconds', num('marathon.backoffSeconds', { min: 0 })],
    ['backoffFactor', num('marathon.backoffFactor', { min: 1 })],
    [
      'maxLaunchDelaySeconds',
      num('marathon.maxLaunchDelaySeconds', { min: 0 }),
    ],
    [
      'taskKillGracePeriodSeconds',
      num('marathon.taskKillGracePeriodSeconds', { min: 0 }),
    ],
  ];
  const forcePullImage = bool('marathon.forcePullImage') ?? false;

  if (problems.list.length > 0) {
    const first = problems.list[0];
    throw new UnprocessableError(
      `The configuration of ${
        input.configPath
      } cannot be rendered as a Marathon app: ${first.path}: ${
        first.errors[0]
      }${
        problems.list.length > 1 || first.errors.length > 1
          ? ` (and ${
              problems.list.reduce((n, p) => n + p.errors.length, 0) - 1
            } more, see details)`
          : ''
      }`,
      problems.list,
    );
  }

  const app: MarathonApp = {
    id,
    ...(cmd ? { cmd } : {}),
    ...(args ? { args } : {}),
    instances,
    cpus,
    mem,
    disk,
    env,
    labels,
    healthChecks,
    constraints,
    upgradeStrategy,
  };
  if (image) {
    app.container = {
      type: 'DOCKER',
      docker: { image, forcePullImage },
      ...(network === 'bridge'
        ? {
            portMappings: ports.map(p => ({
              containerPort: p.number ?? 0,
              hostPort: 0,
              protocol: 'tcp',
              name: p.name,
            })),
          }
        : {}),
    };
  }
  if (network === 'bridge') {
    app.networks = [{ mode: 'container/bridge' }];
  } else {
    app.networks = [{ mode: 'host' }];
    app.portDefinitions = ports.map(p => ({
      port: p.number ?? 0,
      protocol: 'tcp',
      name: p.name,
    }));
    if (requirePorts !== undefined) app.requirePorts = requirePorts;
  }
  for (const [field, value] of optional)
    if (value !== undefined) app[field] = value;
  const user = str('marathon.user');
  if (user) app.user = user;
  if (fetch.length) app.fetch = fetch;
  return { app, secretFields };
}

/** `hostname:UNIQUE;rack:GROUP_BY:3` or a JSON array of arrays. */
function parseConstraints(
  raw: string | undefined,
  problems: Problems,
): string[][] {
  if (!raw) return [];
  let items: string[][];
  if (raw.startsWith('[')) {
    try {
      const parsed = JSON.parse(raw);
      if (
        !Array.isArray(parsed) ||
        parsed.some(
          c =>
            !Array.isArray(c) || c.some((v: unknown) => typeof v !== 'string'),
        )
      ) {
        throw new Error('shape');
      }
      items = parsed;
    } catch {
      problems.add(
        'marathon.constraints',
        'as JSON, must be an array of [field, OPERATOR, value?] string arrays',
      );
      return [];
    }
  } else {
    items = raw
      .split(';')
      .map(s => s.trim())
      .filter(Boolean)
      .map(s => {
        const [field, operator, ...rest] = s.split(':');
        if (rest.length) return [field, operator, rest.join(':')];
        return operator === undefined ? [field] : [field, operator];
      });
  }
  for (const c of items) {
    if (
      c.length < 2 ||
      !c[0] ||
      !CONSTRAINT_OPERATORS.includes((c[1] ?? '').toUpperCase())
    ) {
      problems.add(
        'marathon.constraints',
        `"${c.join(
          ':',
        )}" must be field:OPERATOR[:value] with OPERATOR one of ${CONSTRAINT_OPERATORS.join(
          ', ',
        )}`,
      );
      continue;
    }
    c[1] = c[1].toUpperCase();
    if (
      ['GROUP_BY', 'MAX_PER', 'LIKE', 'UNLIKE', 'IS', 'CLUSTER'].includes(
        c[1],
      ) &&
      c[1] !== 'GROUP_BY' &&
      c[1] !== 'CLUSTER' &&
      c.length < 3
    ) {
      problems.add(
        'marathon.constraints',
        `${c[1]} needs a value: ${c[0]}:${c[1]}:<value>`,
      );
    }
  }
  return items;
}
