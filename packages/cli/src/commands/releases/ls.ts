import type { Command } from 'commander';
import {
  releaseStates,
  type ArchonReleaseState,
  type Release,
} from '@archon/plugin-archon-common';
import { configPathArg } from '../../lib/configFormat';
import { formatReleases } from '../../lib/deployFormat';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { action, type CliIo, type CliRuntime } from '../../lib/runtime';

/**
 * Each release's state on its target (live, superseded, rolled-back, failed,
 * destroyed), from what runs on each target the releases went to.
 */
async function lifecycleOf(
  rt: CliRuntime,
  path: string,
  releases: Release[],
): Promise<Record<string, ArchonReleaseState>> {
  const instances = [
    ...new Set(
      releases
        .map(r => (r.target as { instance?: string }).instance)
        .filter((i): i is string => !!i),
    ),
  ];
  const states: Record<string, ArchonReleaseState> = {};
  for (const instance of instances) {
    const running = await rt.api.call((c, o) =>
      c.getAppStatus({ query: { configPath: path, instance } }, o),
    );
    Object.assign(
      states,
      releaseStates(
        releases.filter(
          r => (r.target as { instance?: string }).instance === instance,
        ),
        running,
      ),
    );
  }
  return states;
}

/** `archon releases ls` */
export function addLsCommand(releases: Command, io: CliIo) {
  withPageFlags(
    releases
      .command('ls', { isDefault: true })
      .alias('list')
      .description(
        'releases of a configuration path, newest first (the default subcommand)',
      )
      .argument('<configPath>', 'configuration path')
      .option('-e, --ensemble <name>', 'ZooKeeper ensemble')
      .option(
        '-t, --target <target>',
        "only releases to this deploy target (default ARCHON_DEPLOY_TARGET or the context's, else every target)",
      ),
    20,
    '-n',
  )
    .addHelpText(
      'after',
      `
Examples:
  archon releases /foo/bar/service-1
  archon releases /foo/bar/service-1 --target dr
  archon releases diff rel-a rel-b`,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: PageFlags & { ensemble?: string; target?: string },
        ) => {
          const { path } = configPathArg(pathArg);
          const list = await readPages(options, page =>
            rt.api.call((c, o) =>
              c.listReleases(
                {
                  query: {
                    path,
                    ensemble: rt.ensemble(options.ensemble),
                    instance: rt.chosenTarget(options.target),
                    ...page,
                  },
                },
                o,
              ),
            ),
          );
          const states = await lifecycleOf(rt, path, list.items);
          rt.out.result(
            {
              ...list,
              items: list.items.map(r => ({ ...r, state: states[r.id] })),
            },
            () => {
              if (!list.items.length) return `${path} has no releases`;
              const table = formatReleases(list.items, rt.out.colors, states);
              const more = morePagesHint(list);
              return more ? `${table}\n${rt.out.colors.dim(more)}` : table;
            },
          );
        },
      ),
    );
}
