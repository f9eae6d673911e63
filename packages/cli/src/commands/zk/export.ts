import fs from 'node:fs';
import type { Command } from 'commander';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { znodePathArg, type ZkEnsembleResolver } from './shared';

/** `archon zookeeper export`: a subtree as a document. */
export function addExportCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('export')
    .description(
      'the subtree at a znode as a JSON document (to import elsewhere)',
    )
    .argument('<path>', 'znode path')
    .option(
      '-f, --file <file>',
      'write the document to this file instead of stdout',
    )
    .option('--include-stat', "add each znode's stat (ignored on import)")
    .option(
      '--max-nodes <n>',
      'fail rather than export more znodes (default and maximum 10000)',
      intArg('--max-nodes', { min: 1 }),
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { file?: string; includeStat?: boolean; maxNodes?: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const doc = await rt.api.call((c, o) =>
            c.zooKeeperExportSubtree(
              {
                path: { ensemble, znodePath: znodePathArg(pathArg) },
                query: {
                  includeStat: options.includeStat,
                  maxNodes: options.maxNodes,
                },
              },
              o,
            ),
          );
          if (options.file) {
            fs.writeFileSync(
              options.file,
              `${JSON.stringify(doc, null, 2)}\n`,
              { mode: 0o600 },
            );
            rt.out.result(
              {
                file: options.file,
                path: doc.path,
                nodeCount: doc.nodeCount,
                dataBytes: doc.dataBytes,
              },
              () =>
                `${rt.out.colors.green('✓')} exported ${doc.nodeCount} znode${
                  doc.nodeCount === 1 ? '' : 's'
                } (${doc.dataBytes} bytes of data) from ${doc.path} to ${
                  options.file
                }`,
            );
            return;
          }
          // The document is the output; as JSON unless YAML was asked for.
          if (rt.out.format === 'yaml') rt.out.result(doc, () => undefined);
          else rt.out.line(JSON.stringify(doc, null, 2));
        },
      ),
    );
}
