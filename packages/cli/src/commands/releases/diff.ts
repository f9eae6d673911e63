import type { Command } from 'commander';
import { formatReleaseDiff } from '../../lib/deployFormat';
import { action, type CliIo } from '../../lib/runtime';

/** `archon releases diff` */
export function addDiffCommand(releases: Command, io: CliIo) {
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
