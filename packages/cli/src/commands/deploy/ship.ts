import { type Command } from 'commander';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { followFlow, reportAccepted, reportFlow } from '../../lib/deployFollow';
import { intArg, type CliRuntime } from '../../lib/runtime';

/** Options shared by `deploy` and `rollback`. */
export interface ShipOptions {
  target?: string;
  ensemble?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout?: number;
  force?: boolean;
}

/** `--target`, `--wait/--no-wait`, `--timeout`, `--force` on a command that changes an app. */
export function addShipOptions(cmd: Command): Command {
  return cmd
    .option(
      '-t, --target <target>',
      "where: a deploy target such as a Marathon instance (default ARCHON_DEPLOY_TARGET, the context's, else the only one)",
    )
    .option('--wait', 'follow the progress until it ends (the default)')
    .option('--no-wait', 'return as soon as archon accepted the change')
    .option(
      '--timeout <seconds>',
      'how long archon follows it before recording a timeout (exit 11)',
      intArg('--timeout', { min: 1 }),
    )
    .option(
      '--force',
      "override the orchestrator's lock, or take over an app archon did not deploy (never implied)",
    );
}

/**
 * Ships a change (deploy, rollback, app operation): with --wait (default)
 * follows its progress live and exits by its outcome (0, 10 failed, 11
 * timeout); with --no-wait prints the accepted change.
 */
export async function ship(
  rt: CliRuntime,
  path: string,
  body: Record<string, unknown>,
  options: { wait?: boolean; start: () => Promise<DeployFlow> },
): Promise<void> {
  if (options.wait === false) {
    reportAccepted(rt, await options.start());
    return;
  }
  const flow = await followFlow(rt, { path, body });
  reportFlow(rt, flow, await healthSummary(rt, flow));
}

/** "2/2 healthy" for the app a finished flow changed; nothing if that cannot be read. */
async function healthSummary(
  rt: CliRuntime,
  flow: DeployFlow,
): Promise<string | undefined> {
  if (rt.out.machine || flow.status !== 'succeeded' || flow.kind === 'destroy')
    return undefined;
  try {
    const status = await rt.api.call((c, o) =>
      c.getAppStatus(
        {
          query: {
            instance: flow.instance,
            configPath: flow.configPath,
            ensemble: flow.ensemble,
          },
        },
        o,
      ),
    );
    return `${status.healthy}/${status.instances} healthy, ${status.running} running`;
  } catch {
    // Only a nicety after the outcome is known; the outcome stands.
    return undefined;
  }
}
