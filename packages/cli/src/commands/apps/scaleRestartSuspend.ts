import type { Command } from 'commander';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { configPathOf, findApp } from '../../lib/appLookup';
import { marathonAction } from './marathonAction';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { addShipOptions, ship, type ShipOptions } from '../deploy/ship';

/**
 * `archon apps scale`, `restart` and `suspend`: one Marathon operation each,
 * by the configuration path for apps archon deployed, else by the app id.
 */
export function addScaleRestartSuspendCommand(apps: Command, io: CliIo) {
  const operation = (
    name: 'scale' | 'restart' | 'suspend',
    description: string,
    withCount: boolean,
  ) => {
    const cmd = addShipOptions(
      apps
        .command(name)
        .description(description)
        .argument(
          '<app>',
          'app id (any Marathon app) or the configuration path it was deployed from',
        ),
    );
    if (withCount)
      cmd.argument(
        '<instances>',
        'the wanted number of instances',
        intArg('<instances>'),
      );
    cmd.action(
      action(io, async (rt, ...args: unknown[]) => {
        const appName = args[0] as string;
        const count = withCount ? (args[1] as number) : undefined;
        const options = args[withCount ? 2 : 1] as ShipOptions;
        const ref = await findApp(rt, appName, options.target);
        if (!ref.app.configPath) {
          // Not deployed by archon: by its Marathon id (no release to record).
          await marathonAction(rt, ref, name, { ...options, instances: count });
          return;
        }
        const body = {
          configPath: configPathOf(ref),
          instance: ref.instance,
          instances: count,
          force: options.force,
          timeoutSeconds: options.timeout,
        };
        await ship(rt, `/apps/${name}`, body, {
          wait: options.wait,
          start: async () =>
            (await rt.api.call((c, o) => {
              if (name === 'scale') return c.scaleApp({ body }, o);
              if (name === 'restart') return c.restartApp({ body }, o);
              return c.suspendApp({ body }, o);
            })) as DeployFlow,
        });
      }),
    );
  };

  operation(
    'scale',
    'set the number of instances (tasks are not restarted)',
    true,
  );

  operation(
    'restart',
    'rolling restart, honouring the upgrade strategy',
    false,
  );

  operation(
    'suspend',
    'scale to 0 instances, keeping the definition (deploy or scale to resume)',
    false,
  );
}
