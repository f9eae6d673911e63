import type { Command } from 'commander';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { configPathOf, findApp } from '../../lib/appLookup';
import { marathonAction } from './marathonAction';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import { addShipOptions, ship, type ShipOptions } from '../deploy/ship';

/** `archon apps destroy` */
export function addDestroyCommand(apps: Command, io: CliIo) {
  addShipOptions(
    apps
      .command('destroy')
      .description(
        'stop every task and remove the app with its version history (asks; --yes)',
      )
      .argument(
        '<app>',
        'app id (any Marathon app) or the configuration path it was deployed from',
      )
      .addOption(yesOption()),
  ).action(
    action(
      io,
      async (rt, name: string, options: ShipOptions & { yes?: boolean }) => {
        const act = `destroy ${name}`;
        rt.assertCanConfirm({ yes: options.yes, action: act });
        const ref = await findApp(rt, name, options.target);
        await rt.confirm({
          yes: options.yes,
          action: act,
          question: `Destroy ${ref.app.id} on ${ref.instance} (${
            ref.app.running
          } running tasks, ${
            ref.app.configPath
              ? `from ${ref.app.configPath}`
              : 'not deployed by archon'
          })?`,
        });
        if (!ref.app.configPath) {
          // Not deployed by archon: by its Marathon id (no release to record).
          await marathonAction(rt, ref, 'destroy', options);
          return;
        }
        const configPath = configPathOf(ref);
        const body = {
          configPath,
          instance: ref.instance,
          confirm: configPath,
          force: options.force,
          timeoutSeconds: options.timeout,
        };
        await ship(rt, '/apps/destroy', body, {
          wait: options.wait,
          start: async () =>
            (await rt.api.call((c, o) =>
              c.destroyApp({ body }, o),
            )) as DeployFlow,
        });
      },
    ),
  );
}
