import { Option, type Command } from 'commander';
import type {
  DeployFlow,
  DeployPlan,
  Release,
} from '@archon/plugin-archon-common';
import { configPathArg, formatProperties } from '../lib/configFormat';
import {
  followFlow,
  formatProgress,
  reportAccepted,
  reportFlow,
} from '../lib/deployFollow';
import {
  colorStatus,
  formatPlan,
  formatReleaseDiff,
  formatReleases,
} from '../lib/deployFormat';
import { CliError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { formatFields, formatTable } from '../lib/output';
import { instancesOf } from '../lib/appLookup';
import {
  action,
  intArg,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

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
      '-t, --target <instance>',
      'where: a deploy target such as a Marathon instance (default ARCHON_DEPLOY_TARGET, else the only one)',
    )
    .option('--instance <instance>', 'the same as --target')
    .on('option:instance', (value: string) =>
      cmd.setOptionValueWithSource('target', value, 'cli'),
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

export function registerDeployCommands(program: Command, io: CliIo) {
  // ----------------------------------------------------------------- deploy
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

  // --------------------------------------------------------------- rollback
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
          const releaseId =
            options.to ??
            (await previousRelease(rt, path, options.ensemble, options.target));
          const body = {
            releaseId,
            instance: options.target,
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

  registerReleasesCommands(program, io);
  registerDeploymentsCommands(program, io);
}

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

function registerReleasesCommands(program: Command, io: CliIo) {
  const releases = program
    .command('releases')
    .alias('release')
    .description(
      'releases: immutable snapshots of the configuration a deploy shipped',
    );

  releases
    .command('ls', { isDefault: true })
    .alias('list')
    .description(
      'releases of a configuration path, newest first (the default subcommand)',
    )
    .argument('<configPath>', 'configuration path')
    .option('-e, --ensemble <name>', 'ZooKeeper ensemble')
    .option(
      '-n, --limit <n>',
      'releases (default 20)',
      intArg('--limit', { min: 1 }),
      20,
    )
    .addHelpText(
      'after',
      `
Examples:
  archon releases /foo/bar/service-1
  archon releases diff rel-a rel-b`,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { ensemble?: string; limit: number },
        ) => {
          const { path } = configPathArg(pathArg);
          const list = await rt.api.call((c, o) =>
            c.listReleases(
              {
                query: {
                  path,
                  ensemble: rt.ensemble(options.ensemble),
                  limit: options.limit,
                },
              },
              o,
            ),
          );
          rt.out.result(list, () =>
            list.items.length
              ? formatReleases(list.items, rt.out.colors)
              : `${path} has no releases`,
          );
        },
      ),
    );

  releases
    .command('show')
    .description(
      'one release: where it went, its outcome and its configuration snapshot',
    )
    .argument('<release>', 'release id')
    .action(
      action(io, async (rt, id: string) => {
        const release: Release = await rt.api.call((c, o) =>
          c.getRelease({ path: { id } }, o),
        );
        const { colors } = rt.out;
        const target = release.target as Record<string, unknown>;
        const outcome = release.outcome as
          | { result?: string; reason?: string }
          | undefined;
        rt.out.result(release, () =>
          [
            formatFields(
              [
                ['release', release.id],
                ['path', release.path],
                ['status', release.status],
                ['target', `${target.instance ?? ''} (${target.kind ?? ''})`],
                ['app', target.workloadId as string | undefined],
                ['rollback of', target.rollbackOf as string | undefined],
                ['created', `${release.createdAt} by ${release.createdBy}`],
                ['outcome', outcome?.reason ?? outcome?.result],
              ],
              colors,
            ),
            '',
            formatProperties(release.properties, colors),
          ].join('\n'),
        );
      }),
    );

  releases
    .command('diff')
    .description(
      "what changed in the configuration between two releases; with one, between it and today's configuration",
    )
    .argument('<from>', 'release id')
    .argument('[to]', 'release id (default: the current configuration)')
    .action(
      action(io, async (rt, from: string, to: string | undefined) => {
        const diff = await rt.api.call((c, o) =>
          c.getReleaseDiff({ path: { id: from }, query: { against: to } }, o),
        );
        rt.out.result(diff, () => formatReleaseDiff(diff, rt.out.colors));
      }),
    );
}

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
}> {
  if (/^(rel|op)-/.test(id)) {
    const flow = await rt.api.call((c, o) =>
      c.getDeployment({ path: { id } }, o),
    );
    const deploymentId = flow.ref?.deploymentId as string | undefined;
    if (flow.status !== 'running')
      throw new CliError(
        `${flow.kind} ${flow.id} is not running any more (${flow.status}): nothing to cancel`,
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

function registerDeploymentsCommands(program: Command, io: CliIo) {
  const deployments = program
    .command('deployments')
    .alias('deployment')
    .description(
      'deploys, rollbacks and app operations that archon runs or ran',
    );

  deployments
    .command('ls', { isDefault: true })
    .alias('list')
    .description(
      'recent deploys and operations, newest first (the default subcommand)',
    )
    .option('--path <configPath>', 'only this configuration path')
    .option('-t, --target <instance>', 'only this deploy target')
    .addOption(
      new Option('--status <status>', 'only these').choices([
        'running',
        'succeeded',
        'failed',
        'timeout',
      ]),
    )
    .option(
      '-n, --limit <n>',
      'entries (default 20)',
      intArg('--limit', { min: 1 }),
      20,
    )
    .action(
      action(
        io,
        async (
          rt,
          options: {
            path?: string;
            target?: string;
            status?: 'running' | 'succeeded' | 'failed' | 'timeout';
            limit: number;
          },
        ) => {
          const list = await rt.api.call((c, o) =>
            c.listDeployments(
              {
                query: {
                  configPath: options.path
                    ? configPathArg(options.path).path
                    : undefined,
                  instance: options.target,
                  status: options.status,
                  limit: options.limit,
                },
              },
              o,
            ),
          );
          const { colors } = rt.out;
          rt.out.result(list, () =>
            formatTable(
              ['id', 'kind', 'status', 'target', 'app', 'started', 'outcome'],
              list.items.map(f => [
                f.id,
                f.kind,
                colorStatus(f.status, colors),
                f.instance,
                f.workloadId,
                f.startedAt,
                f.outcome?.reason ?? '',
              ]),
              { colors },
            ),
          );
        },
      ),
    );

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
      '-t, --target <instance>',
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
          const result = await rt.api.call((c, o) =>
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

  deployments
    .command('watch')
    .description(
      'follow a deploy or operation live until it ends; exits by its outcome (0, 10 failed, 11 timed out)',
    )
    .argument('<id>', 'a release id or op- id')
    .action(
      action(io, async (rt, id: string) => {
        // Read first: an unknown id is a plain 404 (exit 3), and a dropped stream can be resumed.
        const known = await rt.api.call((c, o) =>
          c.getDeployment({ path: { id } }, o),
        );
        if (!rt.out.machine)
          rt.out.line(
            rt.out.colors.dim(
              `${known.kind} ${known.id}: ${known.configPath} → ${known.workloadId} on ${known.instance}`,
            ),
          );
        const flow = await followFlow(
          rt,
          {
            path: `/deployments/${encodeURIComponent(id)}/events`,
            method: 'GET',
          },
          known,
        );
        // A flow this backend no longer follows has only its result on the stream: print its recorded steps.
        if (!flow.progress?.length) {
          for (const p of known.progress ?? [])
            (rt.out.machine ? rt.out.info : rt.out.line).call(
              rt.out,
              formatProgress(p, rt.out.colors),
            );
          reportFlow(rt, { ...flow, progress: known.progress });
          return;
        }
        reportFlow(rt, flow);
      }),
    );
}
