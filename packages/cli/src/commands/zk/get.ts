import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';
import {
  znodePathArg,
  dataText,
  statFields,
  type ZkEnsembleResolver,
} from './shared';

/** `archon zookeeper get`: a znode's data and stat. */
export function addGetCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('get')
    .description(
      "a znode's data (JSON pretty-printed, text, or hex) and, with --stat, its stat",
    )
    .argument('<path>', 'znode path')
    .option('--stat', 'also the stat')
    .option('--raw', 'write the exact bytes to stdout (for binary data)')
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { stat?: boolean; raw?: boolean },
        ) => {
          const ensemble = await ensembleOf(rt);
          const znode = await rt.api.call((c, o) =>
            c.zooKeeperGetZnode(
              { path: { ensemble, znodePath: znodePathArg(pathArg) } },
              o,
            ),
          );
          if (znode.configPath && !rt.out.machine) {
            rt.out.info(
              rt.out.errColors.dim(
                `note: this is the configuration level ${znode.configPath}; archon config get ${znode.configPath} validates it and masks secrets`,
              ),
            );
          }
          if (options.raw && !rt.out.machine) {
            rt.io.stdout.write(Buffer.from(znode.data.base64, 'base64'));
            return;
          }
          rt.out.result(znode, () => {
            const text = dataText(znode.data);
            if (!options.stat)
              return text === '' ? rt.out.colors.dim('(no data)') : text;
            return [
              text === '' ? rt.out.colors.dim('(no data)') : text,
              '',
              statFields(znode.stat, rt.out.colors),
            ].join('\n');
          });
        },
      ),
    );
}
