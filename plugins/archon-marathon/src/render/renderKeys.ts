/** The configuration keys and labels a Marathon app definition is rendered from (see renderApp). */

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
  /** What the app writes and reads outside Kafka (comma lists), for the graph's endpoint links. */
  writesFiles: 'ARCHON_WRITES_FILES',
  readsFiles: 'ARCHON_READS_FILES',
  writesUrls: 'ARCHON_WRITES_URLS',
  readsUrls: 'ARCHON_READS_URLS',
  /** Comma list of the environment variables that hold secrets (masked by archon's monitoring routes). */
  secretEnv: 'ARCHON_SECRET_ENV',
} as const;

/** `archon.*` keys that become labels (the catalog reads them). */
export const ARCHON_KEY_LABELS: Record<string, string> = {
  'archon.owner': ARCHON_LABELS.owner,
  'archon.lifecycle': ARCHON_LABELS.lifecycle,
  'archon.system': ARCHON_LABELS.system,
  'archon.description': ARCHON_LABELS.description,
  'archon.writes.files': ARCHON_LABELS.writesFiles,
  'archon.reads.files': ARCHON_LABELS.readsFiles,
  'archon.writes.urls': ARCHON_LABELS.writesUrls,
  'archon.reads.urls': ARCHON_LABELS.readsUrls,
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

export const HEALTH_PROTOCOLS = [
  'HTTP',
  'HTTPS',
  'TCP',
  'COMMAND',
  'MESOS_HTTP',
  'MESOS_HTTPS',
  'MESOS_TCP',
];

/**
 * Environment variables Marathon and Mesos set for every task. A configuration
 * key whose name rule would produce one of them is refused: it would silently
 * replace e.g. the task's port. (`marathon.env.<NAME>` may still set them.)
 */
export const TASK_VARIABLES =
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
