import path from 'node:path';
import { ENVIRONMENTS, EnvironmentSpec } from '../lib/environments';
import { ensureDir } from '../lib/paths';
import { LOOPBACK } from '../lib/ports';
import { findProcessesWithArgs, processHasArgs } from '../lib/process';
import { httpGetJson } from '../lib/probes';
import { serviceDir } from '../lib/state';
import { ServiceContext, ServiceDefinition } from './types';

/**
 * The local Marathon-compatible server (packages/local-marathon): Marathon and
 * Mesos cannot run here, so archon's Marathon module deploys to this one. It
 * runs apps as local processes, with their sandboxes in the run folder.
 */

function dirs(ctx: ServiceContext, env: EnvironmentSpec) {
  const base = serviceDir(ctx.settings.runDir, env.services.marathon);
  return {
    base,
    data: path.join(base, 'data'),
    logs: path.join(base, 'logs'),
    cli: path.join(
      ctx.settings.repoRoot,
      'packages',
      'local-marathon',
      'src',
      'cli.ts',
    ),
  };
}

export function marathonUrl(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

/** The Marathon-compatible server of one environment (marathon, marathon-dr). */
export function marathonServiceFor(env: EnvironmentSpec): ServiceDefinition {
  const name = env.services.marathon;
  const title = env.suffix ? `Marathon (${env.name})` : 'Marathon (local)';
  return {
    name,
    title,
    dependsOn: [],
    usesJars: false,
    startTimeoutMs: 60_000,
    // It stops every task process group before exiting.
    stopTimeoutMs: 20_000,
    stopSignal: 'SIGTERM',

    async planPorts(ctx) {
      const port = ctx.settings.ports[env.ports.marathon];
      return {
        port,
        ports: { http: port },
        claims: [
          {
            port,
            label: env.suffix ? `${title} HTTP port` : 'Marathon HTTP port',
            setting: env.ports.marathon,
          },
        ],
      };
    },

    async prepare(ctx, plan) {
      const d = dirs(ctx, env);
      ensureDir(d.data);
      ensureDir(d.logs);
      return {
        command: process.execPath,
        args: [
          '--require',
          '@backstage/cli-node/config/nodeTransform.cjs',
          d.cli,
          '--port',
          String(plan.port),
          '--data-dir',
          d.data,
          // Two instances hand out task ports at the same time: separate ranges.
          '--port-range',
          env.marathonTaskPorts,
        ],
        cwd: ctx.settings.repoRoot,
        env: ctx.settings.env,
        outFile: path.join(d.logs, `${name}.log`),
      };
    },

    async probe(_ctx, record, timeoutMs) {
      const ping = await httpGetJson(
        `${marathonUrl(record.port)}/ping`,
        timeoutMs,
      );
      if (ping.status !== 200) throw new Error(`/ping answered ${ping.status}`);
      const info = await httpGetJson(
        `${marathonUrl(record.port)}/v2/info`,
        timeoutMs,
      );
      return { version: (info.body as { version?: string })?.version };
    },

    isOurProcess(ctx, pid) {
      const d = dirs(ctx, env);
      return processHasArgs(pid, [d.cli, d.data]);
    },

    findOrphans(ctx) {
      const d = dirs(ctx, env);
      return findProcessesWithArgs([d.cli, d.data]);
    },

    logFile: ctx => path.join(dirs(ctx, env).logs, `${name}.log`),
    knownVersion: () => '1.11.0',
  };
}

export const marathonService = marathonServiceFor(ENVIRONMENTS.local);
