import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import { action, intArg, type CliIo } from '../../lib/runtime';
import {
  znodePathArg,
  dataInput,
  rawOption,
  type ZkEnsembleResolver,
} from './shared';

/** `archon zookeeper set`: replace a znode's data. */
export function addSetCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('set')
    .description(
      "replace a znode's data (like zkCli set: without --expected-version it overwrites whatever version is there)",
    )
    .argument('<path>', 'znode path')
    .argument('[data]', 'the data as text')
    .option(
      '-f, --file <file>',
      'the data from a file, byte for byte (- for stdin)',
    )
    .option('--json', 'the data is JSON (stored compactly)')
    .option('--base64', 'the data is base64')
    .option(
      '--expected-version <n>',
      'fail with exit 4 unless the znode is at this version',
      intArg('--expected-version', { min: -1 }),
      -1,
    )
    .addOption(rawOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          value: string | undefined,
          options: {
            file?: string;
            json?: boolean;
            base64?: boolean;
            expectedVersion: number;
            raw?: boolean;
          },
        ) => {
          if (value === undefined && !options.file)
            throw new UsageError(
              'give the data as an argument or with -f <file>',
            );
          const data = await dataInput(rt, value, options);
          const ensemble = await ensembleOf(rt);
          const znodePath = znodePathArg(pathArg);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperSetZnodeData(
              {
                path: { ensemble, znodePath },
                query: { raw: options.raw },
                body: { data, expectedVersion: options.expectedVersion },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} ${result.path}${
                result.stat
                  ? ` (version ${result.stat.version}, ${result.stat.dataLength} bytes)`
                  : ''
              }`,
          );
        },
      ),
    );
}
