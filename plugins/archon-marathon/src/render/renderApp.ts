import { UnprocessableError } from '@archon/plugin-archon-node';
import type { MarathonInstanceConfig } from '../marathon/config';
import type { MarathonApp } from '../client/types';
import { appIdOf } from './appId';
import {
  ARCHON_KEY_LABELS,
  ARCHON_LABELS,
  envNameOf,
  isReservedKey,
  MARATHON_KEYS,
  TASK_VARIABLES,
} from './renderKeys';
import { Problems, propertyReader } from './renderProblems';
import { parseConstraints } from './constraints';
import { renderHealthChecks } from './healthChecks';

// Re-exported: callers import these from renderApp, as before the split.
export {
  ARCHON_LABELS,
  envNameOf,
  isReservedKey,
  MARATHON_KEYS,
  RESERVED_PREFIXES,
} from './renderKeys';

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
  const read = propertyReader(properties, problems);
  const { has, str, num, bool } = read;
  const isSecret = input.isSecretKey ?? (() => false);

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
  const healthChecks = renderHealthChecks(read, problems, ports);

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
