import path from 'node:path';
import { EnvironmentSpec } from '../lib/environments';
import { LOOPBACK } from '../lib/ports';
import { httpGetJson } from '../lib/probes';
import {
  createServiceFolders,
  onePortPlan,
  processesMarkedBy,
  serviceFolders,
  serviceLogFile,
} from './common';
import { ServiceContext, ServiceDefinition } from './types';

/**
 * The local Marathon-compatible server (packages/local-marathon): Marathon and
 * Mesos cannot run here, so archon's Marathon module deploys to this one. It
 * runs apps as local processes, with their sandboxes in the run folder.
 */

function serverCli(ctx: ServiceContext): string {
  return path.join(
    ctx.settings.repoRoot,
    'packages',
    'local-marathon',
    'src',
    'cli.ts',
  );
}

export function marathonUrl(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

/** The Marathon-compatible server of one environment (marathon, marathon-dr). */
export function marathonServiceFor(env: EnvironmentSpec): ServiceDefinition {
  const name = env.services.marathon;
  // Named with its environment, local's too ('Marathon (local)').
  const title = `Marathon (${env.name})`;
  // The server's script and its data folder in its argv mark our processes.
  const markers = (ctx: ServiceContext) => [
    serverCli(ctx),
    serviceFolders(ctx, name, ['data']).data,
  ];
  return {
    name,
    title,
    dependsOn: [],
    usesJars: false,
    startTimeoutMs: 60_000,
    // It stops every task process group before exiting.
    stopTimeoutMs: 20_000,
    stopSignal: 'SIGTERM',

    planPorts: async ctx =>
      onePortPlan(
        ctx,
        env.ports.marathon,
        'http',
        env.suffix ? `${title} HTTP port` : 'Marathon HTTP port',
      ),

    async prepare(ctx, plan) {
      const d = createServiceFolders(ctx, name, ['data', 'logs']);
      return {
        command: process.execPath,
        args: [
          '--require',
          '@backstage/cli-node/config/nodeTransform.cjs',
          serverCli(ctx),
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
        outFile: serviceLogFile(ctx, name),
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

    ...processesMarkedBy(markers),
    logFile: ctx => serviceLogFile(ctx, name),
    knownVersion: () => '1.11.0',
  };
}
