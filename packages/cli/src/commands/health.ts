import type { Command } from 'commander';
import { CliError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { duration } from '../lib/kafkaFormat';
import { formatTable } from '../lib/output';
import { action, collect, type CliIo } from '../lib/runtime';

/**
 * "09:12:05 (4 m 10 s)": since when the system has had its status, local
 * time; "≥ 09:12:05" when that was archon's first probe (the state may be
 * older: --json carries why in sinceUnknownBefore).
 */
function sinceOf(s: { since?: string; sinceUnknownBefore?: string }): string {
  if (!s.since) return '';
  const at = new Date(s.since);
  return `${s.sinceUnknownBefore ? '≥ ' : ''}${at.toLocaleTimeString([], {
    hour12: false,
  })} (${duration(Math.max(0, Date.now() - at.getTime()))})`;
}

export function registerHealthCommand(program: Command, io: CliIo) {
  program
    .command('health')
    .description(
      'whether each configured system (ZooKeeper, Kafka, Connect, Marathon) is reachable; exit 9 when one is unreachable',
    )
    .option(
      '--kind <kind>',
      'only systems of this kind (zookeeper, kafka, kafka-connect, marathon); repeatable',
      collect,
    )
    .action(
      action(io, async (rt, options: { kind?: string[] }) => {
        const health = await rt.api.call((c, o) =>
          c.getHealth({ query: { kind: options.kind } }, o),
        );
        const { colors } = rt.out;
        rt.out.result(health, () =>
          formatTable(
            [
              'kind',
              'name',
              'status',
              'since',
              'version',
              'latency',
              'endpoint / error',
            ],
            health.systems.map(s => [
              s.kind,
              s.name,
              s.status === 'up'
                ? colors.green('up')
                : colors.red('unreachable'),
              sinceOf(s),
              s.version ?? '',
              `${Math.round(s.latencyMs)} ms`,
              s.status === 'up'
                ? s.endpoint ?? ''
                : colors.red(s.error ?? s.endpoint ?? ''),
            ]),
            { colors, alignRight: [5] },
          ),
        );
        if (health.status !== 'up') {
          const unreachable = health.systems
            .filter(s => s.status !== 'up')
            .map(s => `${s.kind}/${s.name}`);
          throw new CliError(
            `${unreachable.length} system${
              unreachable.length === 1 ? ' is' : 's are'
            } unreachable: ${unreachable.join(', ')}`,
            ExitCode.Unhealthy,
          );
        }
      }),
    );
}
