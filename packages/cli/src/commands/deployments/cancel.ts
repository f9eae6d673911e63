import type { Command } from 'commander';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { instancesOf } from '../../lib/appLookup';
import {
  action,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../../lib/runtime';

/**
 * The Marathon deployment to cancel: the one of an archon deploy or
 * operation still running (its id), or a Marathon deployment id looked up
 * on `--target` or every instance.
 */
async function marathonDeploymentOf(
  rt: CliRuntime,
  id: string,
  target: string | undefined,
): Promise<{
  instance: string;
  deploymentId: string;
  apps: string[];
  what: string;
  /** archon's flow, when the id named one: cancelled through archon (audited, and the flow's outcome names who). */
  flowId?: string;
}> {
  if (/^(rel|op)-/.test(id)) {
    const flow = await rt.api.call((c, o) =>
      c.getDeployment({ path: { id } }, o),
    );
    const deploymentId = flow.ref?.deploymentId as string | undefined;
    // A deploy archon recorded as failed or timed out may still be carried
    // out by Marathon: the server checks that (409 when it is not).
    if (flow.status === 'succeeded')
      throw new CliError(
        `${flow.kind} ${flow.id} already succeeded: nothing to cancel`,
        ExitCode.Conflict,
      );
    if (!deploymentId)
      throw new CliError(
        `${flow.kind} ${flow.id} has no Marathon deployment (yet) to cancel`,
        ExitCode.Conflict,
      );
    return {
      instance: flow.instance,
      deploymentId,
      apps: [flow.workloadId],
      what: `${flow.kind} ${flow.id} (Marathon deployment ${deploymentId})`,
      flowId: flow.id,
    };
  }
  const instances = await instancesOf(rt, target);
  for (const instance of instances) {
    const list = await rt.api.call((c, o) =>
      c.marathonListDeployments({ path: { instance } }, o),
    );
    const found = list.items.find(d => d.id === id);
    if (found)
      return {
        instance,
        deploymentId: id,
        apps: found.affectedApps ?? [],
        what: `Marathon deployment ${id}`,
      };
  }
  throw new CliError(
    `no deployment ${id} in progress on ${instances.join(', ')}`,
    ExitCode.NotFound,
    ['  archon deployments ls --status running lists the running ones'],
  );
}

/** `archon deployments cancel` */
export function addCancelCommand(deployments: Command, io: CliIo) {
  deployments
    .command('cancel')
    .description(
      'stop a deploy or operation in progress: Marathon rolls the affected apps back to where they were, or with --force just stops (asks; --yes)',
    )
    .argument(
      '<id>',
      'a release or op- id (archon deployments ls), or a Marathon deployment id',
    )
    .option(
      '-t, --target <target>',
      'with a Marathon deployment id: the instance (default: every one is searched)',
    )
    .option(
      '--force',
      'stop without rolling back: tasks of the old and new version may stay mixed',
    )
    .addOption(yesOption())
    .addHelpText(
      'after',
      `
Examples:
  archon deployments cancel rel-0mh2k3x4c-1a2b3c4d
  archon deployments cancel 5ed4c0c5-9ff8-4a6f-a0cd-f57f59a34b43 --target local --yes`,
    )
    .action(
      action(
        io,
        async (
          rt,
          id: string,
          options: { target?: string; force?: boolean; yes?: boolean },
        ) => {
          const act = `cancel deployment ${id}`;
          rt.assertCanConfirm({ yes: options.yes, action: act });
          const found = await marathonDeploymentOf(rt, id, options.target);
          await rt.confirm({
            yes: options.yes,
            action: act,
            question: `Cancel ${found.what} on ${
              found.instance
            } (apps ${found.apps.join(', ')})? ${
              options.force
                ? 'It stops where it is; tasks of both versions may stay.'
                : 'Marathon rolls the apps back to their previous definition.'
            }`,
          });
          const { flowId } = found;
          const result = flowId
            ? await rt.api
                .call((c, o) =>
                  c.cancelDeployment(
                    { path: { id: flowId }, body: { force: options.force } },
                    o,
                  ),
                )
                .then(r => ({
                  deploymentId: found.deploymentId,
                  cancelled: true,
                  force: r.force,
                  rollbackDeploymentId: r.rollbackRef?.deploymentId as
                    | string
                    | undefined,
                }))
            : await rt.api.call((c, o) =>
                c.marathonCancelDeployment(
                  {
                    path: {
                      instance: found.instance,
                      deploymentId: found.deploymentId,
                    },
                    query: { force: options.force },
                  },
                  o,
                ),
              );
          rt.out.result({ instance: found.instance, ...result }, () =>
            result.rollbackDeploymentId
              ? `cancelled ${found.what} on ${found.instance}; Marathon rolls back in deployment ${result.rollbackDeploymentId}`
              : `cancelled ${found.what} on ${found.instance}`,
          );
        },
      ),
    );
}
