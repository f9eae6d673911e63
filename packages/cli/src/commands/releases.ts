import { type Command } from 'commander';
import {
  releaseStates,
  type ArchonReleaseState,
  type Release,
} from '@archon/plugin-archon-common';
import { configPathArg, formatProperties } from '../lib/configFormat';
import { formatReleaseDiff, formatReleases } from '../lib/deployFormat';
import { formatFields } from '../lib/output';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../lib/paging';
import { action, type CliIo, type CliRuntime } from '../lib/runtime';

export function registerReleasesCommands(program: Command, io: CliIo) {
  const releases = program
    .command('releases')
    .alias('release')
    .description(
      'releases: immutable snapshots of the configuration a deploy shipped',
    );

  withPageFlags(
    releases
      .command('ls', { isDefault: true })
      .alias('list')
      .description(
        'releases of a configuration path, newest first (the default subcommand)',
      )
      .argument('<configPath>', 'configuration path')
      .option('-e, --ensemble <name>', 'ZooKeeper ensemble'),
    20,
    '-n',
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
          options: PageFlags & { ensemble?: string },
        ) => {
          const { path } = configPathArg(pathArg);
          const list = await readPages(options, page =>
            rt.api.call((c, o) =>
              c.listReleases(
                {
                  query: {
                    path,
                    ensemble: rt.ensemble(options.ensemble),
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
