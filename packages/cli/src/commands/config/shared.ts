import type { Command } from 'commander';
import type {
  ArchonApiClient,
  ConfigBrokenPath,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import { ApiError, CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
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
    )
    .option(
      '--force',
      'write even when paths that resolve now would stop resolving (otherwise refused with exit 7)',
    );
}

/**
 * Runs a write; a refusal because it would break paths below becomes exit 7
 * listing each broken path, its keys and why, and how to write anyway.
 */
export async function refusingBreaks<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const broken =
      error instanceof ApiError && error.status === 422
        ? (
            error.body?.error?.details as
              | { brokenPaths?: ConfigBrokenPath[] }
              | undefined
          )?.brokenPaths
        : undefined;
    if (!broken) throw error;
    throw new CliError(
      `refused: the write would break ${broken.length} path${
        broken.length === 1 ? '' : 's'
      } that resolve${broken.length === 1 ? 's' : ''} now; nothing was written`,
      ExitCode.Invalid,
      [
        ...broken.map(b => `  ✗ ${b.path} (${b.keys.join(', ')}): ${b.reason}`),
        '  fix the references, or write anyway with --force',
      ],
    );
  }
}

/** What a write would change (`--dry-run`, and the preview before deleting a set). */
export function analyzeImpact(
  rt: CliRuntime,
  param: string,
  ensemble: string | undefined,
  body: Parameters<ArchonApiClient['previewConfigChange']>[0]['body'],
) {
  return rt.api.call((c, o) =>
    c.previewConfigChange(
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
    const forced = (result.brokenPaths ?? []).map(
      b =>
        `${rt.out.colors.yellow('!')} forced: ${
          b.path
        } no longer resolves (${b.keys.join(', ')})`,
    );
    if (result.unchanged)
      return `${path}${version}: nothing changed (the set already is so; nothing written)`;
    return [
      result.changedKeys.length
        ? `${rt.out.colors.green(
            '✓',
          )} ${path}${version}: changed ${result.changedKeys.join(', ')}`
        : `${path}${version}: nothing changed`,
      ...forced,
    ].join('\n');
  });
}
