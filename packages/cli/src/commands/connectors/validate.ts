import type { Command } from 'commander';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { readInputFile } from '../../lib/files';
import { action, type CliIo } from '../../lib/runtime';
import { parseConnectorFile, withClass } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors validate` */
export function addValidateCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('validate')
    .description(
      "Connect's validation of a connector file, per field; exit 7 when invalid",
    )
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .option('--name <name>', 'connector name (default: from the file)')
    .action(
      action(io, async (rt, options: { file: string; name?: string }) => {
        const parsed = parseConnectorFile(
          await readInputFile(options.file, rt.io.stdin),
          options.file,
        );
        const connector = options.name ?? parsed.name ?? 'archon-validate';
        const name = await cluster(rt);
        const result = await rt.api.call((c, o) =>
          c.connectValidateConfig(
            {
              path: { cluster: name },
              body: {
                name: connector,
                config: withClass(parsed.config, options.file),
              },
            },
            o,
          ),
        );
        const lines = Object.entries(result.fields).flatMap(([field, errors]) =>
          errors.map(e => `  ${field}: ${e}`),
        );
        rt.out.result(result, () =>
          result.errorCount ? undefined : `${rt.out.colors.green('✓')} valid`,
        );
        if (result.errorCount) {
          throw new CliError(
            `the connector config is invalid (${result.errorCount} error${
              result.errorCount === 1 ? '' : 's'
            })`,
            ExitCode.Invalid,
            lines,
          );
        }
      }),
    );
}
