import type { Command } from 'commander';
import type {
  ArchonApiClient,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import { intArg, type CliRuntime } from '../../lib/runtime';

export interface EnsembleOption {
  ensemble?: string;
}

/** The ensemble of a subcommand: its own --ensemble, else the group's, else the context's. */
export type EnsembleResolver = (
  rt: CliRuntime,
  options: EnsembleOption,
) => string | undefined;

/** Options of a write (`set`, `unset`): `--expected-version` and `--dry-run`. */
export function addWriteOptions(
  cmd: Command,
  options: { mayBeAbsent?: boolean } = {},
): Command {
  return cmd
    .option(
      '--expected-version <n>',
      `fail with exit 4 unless the set is at this version${
        options.mayBeAbsent ? ' (-1: must not exist)' : ''
      }`,
      intArg('--expected-version', { min: options.mayBeAbsent ? -1 : 0 }),
    )
    .option(
      '--dry-run',
      "write nothing; show which paths' effective configuration would change",
    );
}

/** What a write would change (`--dry-run`, and the preview before deleting a set). */
export function analyzeImpact(
  rt: CliRuntime,
  param: string,
  ensemble: string | undefined,
  body: Parameters<ArchonApiClient['analyzeConfigImpact']>[0]['body'],
) {
  return rt.api.call((c, o) =>
    c.analyzeConfigImpact(
      { path: { configPath: param }, query: { ensemble }, body },
      o,
    ),
  );
}

export function printWrite(
  rt: CliRuntime,
  path: string,
  result: ConfigWriteResponse,
) {
  rt.out.result(result, () => {
    const version =
      result.version !== undefined
        ? ` (version ${result.version})`
        : ' (set deleted)';
    return result.changedKeys.length
      ? `${rt.out.colors.green(
          '✓',
        )} ${path}${version}: changed ${result.changedKeys.join(', ')}`
      : `${path}${version}: nothing changed`;
  });
}
