import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import { stateColor } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

const STATES = [
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'UNASSIGNED',
  'RESTARTING',
] as const;

/** `archon connectors ls` */
export function addLsCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  withPageFlags(
    connectors
      .command('ls')
      .alias('list')
      .description('connectors with state and tasks, failing ones first')
      .option(
        '--state <state>',
        `only this state (${STATES.join(', ')}; FAILED includes failed tasks)`,
      )
      .option('--filter <text>', 'name contains (case-insensitive)'),
  ).action(
    action(
      io,
      async (rt, options: PageFlags & { state?: string; filter?: string }) => {
        const state = options.state?.toUpperCase() as
          | (typeof STATES)[number]
          | undefined;
        if (state && !STATES.includes(state))
          throw new UsageError(
            `unknown state "${options.state}" (use ${STATES.join(', ')})`,
          );
        const name = await cluster(rt);
        const list = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.connectListConnectors(
              {
                path: { cluster: name },
                query: { state, filter: options.filter, ...page },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          if (!list.items.length) return colors.dim('no connectors');
          const table = formatTable(
            ['name', 'type', 'state', 'tasks', 'failed'],
            list.items.map(c => [
              c.name,
              c.type,
              stateColor(c.state, colors),
              c.tasks.length,
              c.failedTasks ? colors.red(String(c.failedTasks)) : '0',
            ]),
            { colors, alignRight: [3, 4] },
          );
          const more = morePagesHint(list);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );
}
