import type { Command } from 'commander';
import type { ConnectConnector } from '@archon/plugin-archon-common';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { formatFields, formatTable, type Colors } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import { stateColor } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

function firstLine(trace: string | undefined): string {
  return (trace ?? '').split('\n')[0].trim();
}

function formatConnector(
  c: ConnectConnector,
  colors: Colors,
  options: { trace?: boolean; config?: boolean },
): string {
  const parts = [
    formatFields(
      [
        ['connector', c.name],
        ['type', c.type],
        ['state', stateColor(c.state, colors)],
        ['worker', c.workerId ?? undefined],
        [
          'topics',
          c.activeTopics?.length ? c.activeTopics.join(', ') : undefined,
        ],
      ],
      colors,
    ),
  ];
  if (c.trace)
    parts.push(colors.red(options.trace ? c.trace : `  ${firstLine(c.trace)}`));
  parts.push(
    '',
    c.tasks.length
      ? formatTable(
          ['task', 'state', 'worker', 'error'],
          c.tasks.map(t => [
            t.id,
            stateColor(t.state, colors),
            t.workerId ?? '',
            firstLine(t.trace),
          ]),
          { colors, alignRight: [0] },
        )
      : colors.dim('no tasks'),
  );
  if (options.trace) {
    for (const t of c.tasks.filter(x => x.trace))
      parts.push('', colors.bold(`task ${t.id}:`), t.trace!);
  }
  if (options.config) {
    parts.push(
      '',
      formatTable(
        ['config', 'value'],
        Object.keys(c.config)
          .sort()
          .map(k => [k, c.config[k]]),
        { colors },
      ),
    );
  }
  return parts.join('\n');
}

/** `archon connectors status` */
export function addStatusCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('status')
    .alias('describe')
    .description(
      'state, worker and tasks with their errors; exit 9 when the connector or a task failed',
    )
    .argument('<name>', 'connector name')
    .option('--trace', 'full stack traces')
    .option('--config', 'also the config (secrets masked)')
    .action(
      action(
        io,
        async (
          rt,
          connector: string,
          options: { trace?: boolean; config?: boolean },
        ) => {
          const name = await cluster(rt);
          const c = await rt.api.call((cl, o) =>
            cl.connectGetConnector(
              { path: { cluster: name, name: connector } },
              o,
            ),
          );
          rt.out.result(c, () => formatConnector(c, rt.out.colors, options));
          const failed = c.tasks.filter(t => t.state === 'FAILED').length;
          if (c.state === 'FAILED' || failed) {
            throw new CliError(
              `${connector} is ${
                c.state === 'FAILED'
                  ? 'FAILED'
                  : `running with ${failed} failed task${
                      failed === 1 ? '' : 's'
                    }`
              }`,
              ExitCode.Unhealthy,
              [
                `  restart it with: archon connectors restart ${connector}${
                  c.state === 'FAILED' ? '' : ' --failed-only'
                }`,
              ],
            );
          }
        },
      ),
    );
}
