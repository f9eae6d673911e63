import fs from 'node:fs';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliResult,
  type CliTestBackend,
} from './cliTestBackend';

// The shared setup of deploy.test.ts: the backend, the CLI and the example configuration.

/**
 * Deploys and app operations through the CLI (bin/archon as a subprocess)
 * against a real archon backend with the Marathon module, the real local
 * ZooKeeper, and a local Marathon-compatible server that runs each app as a
 * real process. Marathon fails a deployment whose tasks stay unhealthy for
 * MARATHON_DEPLOYMENT_TIMEOUT_MS.
 */
export const MARATHON_DEPLOYMENT_TIMEOUT_MS = 10_000;

export let backend: CliTestBackend;
export let home: string;

export const cli = (
  args: string[],
  options: {
    env?: Record<string, string>;
    interruptWhen?: (s: string) => boolean;
  } = {},
) =>
  runCli(args, {
    home,
    timeoutMs: 120_000,
    interruptWhen: options.interruptWhen,
    env: { ARCHON_URL: backend.url, ...options.env },
  });

/** Expects an exit code; a mismatch shows the command's output. */
export function expectExit(r: CliResult, code: number) {
  if (r.code !== code)
    throw new Error(
      `exited ${r.code}, not ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
}

/** Runs with `-o json`, expects `code` (default 0) and returns the parsed stdout. */
export async function json<T = any>(args: string[], code = 0): Promise<T> {
  const r = await cli([...args, '-o', 'json']);
  if (r.code !== code)
    throw new Error(
      `archon ${args.join(' ')} exited ${r.code}, not ${code}: ${r.stderr}`,
    );
  return JSON.parse(r.stdout) as T;
}

/**
 * An app command: a node HTTP server on $PORT0 that prints its environment
 * (one `ENV {...}` line on stdout) and answers every path with
 * $HEALTH_STATUS (default 200), so a configuration key decides its health.
 */
export function envServerCommand(): string {
  const script =
    "const h=require('http');console.log('ENV '+JSON.stringify(process.env));" +
    "h.createServer((q,s)=>{s.statusCode=Number(process.env.HEALTH_STATUS||200);s.end('ok')}).listen(Number(process.env.PORT0),'127.0.0.1')";
  return `exec '${process.execPath}' -e "${script}"`;
}

/** The environment the app's running task printed, read with `archon apps logs`. */
export async function runningEnv(app: string): Promise<Record<string, string>> {
  for (let i = 0; i < 60; i++) {
    const r = await cli(['apps', 'logs', app]);
    const line = r.stdout.split('\n').find(l => l.startsWith('ENV '));
    if (r.code === 0 && line) return JSON.parse(line.slice(4));
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`${app} never printed its environment`);
}

export const path = '/foo/bar/service-1';

/**
 * Starts the backend with a private local Marathon, writes the published
 * example's configuration (beforeAll), and stops them (afterAll).
 */
export function useDeployBackend() {
  beforeAll(async () => {
    backend = await startCliTestBackend('cli-deploy', {
      marathon: { deploymentTimeoutMs: MARATHON_DEPLOYMENT_TIMEOUT_MS },
    });
    home = makeCliHome();
    // The published example (x=1; y=2, z=3; w=4, s=${z}, x=6) and how to run it, set at /foo.
    const writes = [
      [
        'config',
        'set',
        '/foo',
        'x=1',
        `marathon.cmd=${envServerCommand()}`,
        'marathon.ports=http',
        'marathon.cpus=0.1',
        'marathon.mem=64',
        'marathon.healthCheck.path=/health',
        'marathon.healthCheck.gracePeriodSeconds=1',
        'marathon.healthCheck.intervalSeconds=1',
        'marathon.healthCheck.timeoutSeconds=1',
        'marathon.healthCheck.maxConsecutiveFailures=2',
        'marathon.upgrade.minimumHealthCapacity=0',
        'marathon.taskKillGracePeriodSeconds=1',
      ],
      ['config', 'set', '/foo/bar', 'y=2', 'z=3'],
      ['config', 'set', path, 'w=4', 's=${z}', 'x=6'],
    ];
    for (const args of writes) {
      const r = await cli(args);
      if (r.code !== 0)
        throw new Error(`archon ${args.join(' ')}: ${r.stderr}`);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });
}
