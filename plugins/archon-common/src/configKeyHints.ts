/**
 * What the configuration keys archon itself reads mean: the keys the
 * Marathon renderer (`plugins/archon-marathon/src/render/renderApp.ts`)
 * turns into an app definition. The one place they are described; the set
 * editor shows them as hints, and a test in archon-marathon checks that this
 * list and the renderer's `MARATHON_KEYS` stay the same.
 */
export const MARATHON_KEY_HINTS: Readonly<Record<string, string>> = {
  'marathon.cmd':
    'The shell command the app runs (or set marathon.args, or marathon.image)',
  'marathon.args':
    'The command as a JSON array of strings, run without a shell, e.g. ["--port", "8080"]',
  'marathon.image': 'A Docker image to run',
  'marathon.forcePullImage': 'true: pull the image on every start',
  'marathon.network': 'host (default) or bridge (needs marathon.image)',
  'marathon.instances': 'How many tasks run (default 1)',
  'marathon.cpus': 'CPU shares per task (default 1)',
  'marathon.mem': 'Memory per task in MiB (default 128)',
  'marathon.disk': 'Disk per task in MiB (default 0)',
  'marathon.ports':
    'Named ports, comma-separated, optionally with a number: http or http:8080',
  'marathon.requirePorts': 'true: use exactly the port numbers given',
  'marathon.healthCheck.protocol':
    'HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS or MESOS_TCP',
  'marathon.healthCheck.path':
    'The path an HTTP health check requests (default /)',
  'marathon.healthCheck.command': 'The command a COMMAND health check runs',
  'marathon.healthCheck.portIndex':
    'Which of marathon.ports the health check uses (default 0)',
  'marathon.healthCheck.gracePeriodSeconds':
    'Seconds after start before failures count (default 300)',
  'marathon.healthCheck.intervalSeconds': 'Seconds between checks (default 60)',
  'marathon.healthCheck.timeoutSeconds':
    'Seconds a check may take (default 20)',
  'marathon.healthCheck.maxConsecutiveFailures':
    'Failures in a row before the task is killed (default 3)',
  'marathon.healthCheck.delaySeconds':
    'Seconds before the first check (default 15)',
  'marathon.constraints': 'Placement constraints, e.g. hostname:UNIQUE',
  'marathon.upgrade.minimumHealthCapacity':
    'Share of instances kept healthy during a deploy, 0 to 1 (default 1)',
  'marathon.upgrade.maximumOverCapacity':
    'Share of extra instances allowed during a deploy, 0 to 1 (default 1)',
  'marathon.backoffSeconds': 'Seconds to wait before restarting a failed task',
  'marathon.backoffFactor':
    'How much the wait grows after each failure (at least 1)',
  'marathon.maxLaunchDelaySeconds': 'The longest wait before a restart',
  'marathon.taskKillGracePeriodSeconds':
    'Seconds between SIGTERM and SIGKILL when a task stops',
  'marathon.user': 'The user the task runs as',
  'marathon.fetch':
    'URIs fetched into the sandbox before start, comma-separated (archives are extracted)',
};

/** Key families the renderer reads by prefix. */
export const MARATHON_KEY_PREFIX_HINTS: Readonly<Record<string, string>> = {
  'marathon.env.':
    'marathon.env.<NAME>: sets the environment variable NAME (every other key becomes one too: upper case, other characters as _)',
  'marathon.labels.': 'marathon.labels.<NAME>: a Marathon label of the app',
};

/** The meaning of a key archon knows, if any. */
export function configKeyHint(key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(MARATHON_KEY_HINTS, key))
    return MARATHON_KEY_HINTS[key];
  const prefix = Object.keys(MARATHON_KEY_PREFIX_HINTS).find(p =>
    key.startsWith(p),
  );
  return prefix ? MARATHON_KEY_PREFIX_HINTS[prefix] : undefined;
}
