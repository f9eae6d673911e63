import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import { action, type CliIo } from '../../lib/runtime';
import {
  MODES,
  znodePathArg,
  dataInput,
  rawOption,
  type ZkEnsembleResolver,
} from './shared';

/** `archon zookeeper create`: create a znode. */
export function addCreateCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('create')
    .description('create a znode')
    .argument('<path>', 'znode path')
    .argument('[data]', 'the data as text (default: none)')
    .option(
      '-f, --file <file>',
      'the data from a file, byte for byte (- for stdin)',
    )
    .option('--json', 'the data is JSON (stored compactly)')
    .option('--base64', 'the data is base64')
    .option('-p, --parents', 'create missing parents (empty, persistent)')
    .option(
      '--mode <mode>',
      `${MODES.join(
        ', ',
      )} (default persistent; ephemeral znodes belong to archon's session)`,
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
            parents?: boolean;
            mode?: string;
            raw?: boolean;
          },
        ) => {
          if (
            options.mode &&
            !(MODES as readonly string[]).includes(options.mode)
          )
            throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
          const data = await dataInput(rt, value, options);
          const ensemble = await ensembleOf(rt);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperCreateZnode(
              {
                path: { ensemble, znodePath: znodePathArg(pathArg) },
                query: { raw: options.raw },
                body: {
                  data,
                  mode: options.mode as (typeof MODES)[number] | undefined,
                  createParents: options.parents,
                },
              },
              o,
            ),
          );
          rt.out.result(result, () =>
            [
              `${rt.out.colors.green('✓')} created ${result.path}${
                result.createdParents.length
                  ? ` (and ${result.createdParents.join(', ')})`
                  : ''
              }`,
              ...(result.note ? [rt.out.colors.dim(result.note)] : []),
            ].join('\n'),
          );
        },
      ),
    );
}
