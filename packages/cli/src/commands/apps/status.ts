import type { Command } from 'commander';
import {
  isAppStateGood,
  type ArchonAppState,
} from '@archon/plugin-archon-common';
import { findApp, targetOption } from '../../lib/appLookup';
import type { AppRef } from '../../lib/appLookup';
import { formatApp } from '../../lib/appsFormat';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { action, type CliIo } from '../../lib/runtime';

/** `archon apps status` */
export function addStatusCommand(apps: Command, io: CliIo) {
  apps
    .command('status')
    .description(
      'one app: state, tasks with host, ports and health, current release, last failure; exit 0 only when healthy or running as wanted, 9 otherwise (degraded, crash-looping, deploying, suspended, missing)',
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .action(
      action(io, async (rt, name: string, options: { target?: string }) => {
        let ref: AppRef;
        try {
          ref = await findApp(rt, name, options.target);
        } catch (error) {
          // An app that is not there is a state (missing), not a usage error.
          if (error instanceof CliError && error.exitCode === ExitCode.NotFound)
            throw new CliError(
              `missing: ${error.message}`,
              ExitCode.Unhealthy,
              error.details,
            );
          throw error;
        }
        const detail = await rt.api.call((c, o) =>
          c.marathonGetApp(
            { path: { instance: ref.instance, appId: ref.app.id.slice(1) } },
            o,
          ),
        );
        rt.out.result({ instance: ref.instance, ...detail }, () =>
          formatApp(ref, detail, rt.out.colors),
        );
        const s = detail.summary;
        if (!isAppStateGood(s.status as ArchonAppState))
          throw new CliError(
            `${s.id} is ${s.status}: ${s.running} of ${s.instances} running, ${
              s.healthy
            } healthy${
              detail.lastTaskFailure
                ? `; last task failure: ${detail.lastTaskFailure.message}`
                : ''
            }`,
            ExitCode.Unhealthy,
          );
      }),
    );
}
