import type { Command } from 'commander';
import type { DeployFlow, DeployPlan } from '@archon/plugin-archon-common';
import { configPathArg } from '../../lib/configFormat';
import { formatPlan } from '../../lib/deployFormat';
import { action, type CliIo } from '../../lib/runtime';
import { addShipOptions, ship, type ShipOptions } from './ship';

/** `archon deploy` */
export function addDeployCommand(program: Command, io: CliIo) {
  addShipOptions(
    program
      .command('deploy')
      .description(
        'deploy the effective configuration of a path: render the app, record a release, ship it and follow it live (exit 0 ok, 10 failed, 11 timed out)',
      )
      .argument('<configPath>', 'configuration path, e.g. /foo/bar/service-1')
      .option('-e, --ensemble <name>', 'ZooKeeper ensemble')
      .option(
        '--dry-run',
        'show what would change (app definition and configuration) against what runs; deploy nothing',
      ),
  )
    .addHelpText(
      'after',
      `
Examples:
  archon deploy /foo/bar/service-1 --dry-run
  archon deploy /foo/bar/service-1 --target local --timeout 300
  archon deploy /foo/bar/service-1 --no-wait -o json`,
    )
    .action(
      action(io, async (rt, pathArg: string, options: ShipOptions) => {
        const { path } = configPathArg(pathArg);
        const instance = await rt.deployTarget(options.target);
        const ensemble = rt.ensemble(options.ensemble);
        const body = {
          configPath: path,
          instance,
          ensemble,
          force: options.force,
          timeoutSeconds: options.timeout,
        };
        if (options.dryRun) {
          const plan = (await rt.api.call((c, o) =>
            c.deploy({ body: { ...body, dryRun: true } }, o),
          )) as DeployPlan;
          rt.out.result(plan, () => formatPlan(plan, rt.out.colors));
          return;
        }
        await ship(rt, '/deployments', body, {
          wait: options.wait,
          start: async () =>
            (await rt.api.call((c, o) => c.deploy({ body }, o))) as DeployFlow,
        });
      }),
    );
}
