import type { Command } from 'commander';
import type { DeployFlow, DeployPlan } from '@archon/plugin-archon-common';
import { configPathArg } from '../../lib/configFormat';
import { formatPlan } from '../../lib/deployFormat';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { action, type CliIo, type CliRuntime } from '../../lib/runtime';
import { addShipOptions, ship, type ShipOptions } from './ship';

/**
 * The release to roll back to: the newest deployed release older than the
 * latest deployed one (what runs now), on the same target. Rolling back
 * twice therefore toggles between the last two, like `kubectl rollout undo`.
 */
async function previousRelease(
  rt: CliRuntime,
  path: string,
  ensembleFlag: string | undefined,
  target: string | undefined,
): Promise<string> {
  const list = await rt.api.call((c, o) =>
    c.listReleases(
      { query: { path, ensemble: rt.ensemble(ensembleFlag), limit: 200 } },
      o,
    ),
  );
  const deployed = list.items.filter(
    r =>
      r.status === 'deployed' &&
      (!target || (r.target as { instance?: string }).instance === target),
  );
  if (deployed.length < 2)
    throw new CliError(
      deployed.length === 0
        ? `${path} has no deployed release${
            target ? ` on ${target}` : ''
          } to roll back from`
        : `${path} has only one deployed release (${deployed[0].id}): nothing earlier to roll back to`,
      ExitCode.NotFound,
      [`  name one with --to <release> (archon releases ${path})`],
    );
  return deployed[1].id;
}

/** `archon rollback` */
export function addRollbackCommand(program: Command, io: CliIo) {
  addShipOptions(
    program
      .command('rollback')
      .description(
        "ship an earlier release's snapshot again, as a new release (default: the deployed release before the current one)",
      )
      .argument('<configPath>', 'configuration path')
      .option('--to <release>', 'the release to go back to')
      .option('-e, --ensemble <name>', 'ZooKeeper ensemble')
      .option('--dry-run', 'show what would change; ship nothing'),
  )
    .addHelpText(
      'after',
      `
Examples:
  archon rollback /foo/bar/service-1 --dry-run
  archon rollback /foo/bar/service-1 --to rel-0mh2k3x4c-1a2b3c4d`,
    )
    .action(
      action(
        io,
        async (rt, pathArg: string, options: ShipOptions & { to?: string }) => {
          const { path } = configPathArg(pathArg);
          // The flag, else ARCHON_DEPLOY_TARGET or the context's default;
          // none: the release's own target.
          const target = rt.chosenTarget(options.target);
          const releaseId =
            options.to ??
            (await previousRelease(rt, path, options.ensemble, target));
          const body = {
            releaseId,
            instance: target,
            force: options.force,
            timeoutSeconds: options.timeout,
          };
          if (options.dryRun) {
            const plan = (await rt.api.call((c, o) =>
              c.rollback({ body: { ...body, dryRun: true } }, o),
            )) as DeployPlan;
            rt.out.result(plan, () => formatPlan(plan, rt.out.colors));
            return;
          }
          await ship(rt, '/deployments/rollback', body, {
            wait: options.wait,
            start: async () =>
              (await rt.api.call((c, o) =>
                c.rollback({ body }, o),
              )) as DeployFlow,
          });
        },
      ),
    );
}
