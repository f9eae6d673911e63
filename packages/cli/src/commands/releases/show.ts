import type { Command } from 'commander';
import type { Release } from '@archon/plugin-archon-common';
import { formatProperties } from '../../lib/configFormat';
import { formatFields } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';

/** `archon releases show` */
export function addShowCommand(releases: Command, io: CliIo) {
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
}
