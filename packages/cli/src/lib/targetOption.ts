import type { Command } from 'commander';

/**
 * `--instance` is the older name of `--target` (a deploy target, see
 * docs/glossary.md). Users' scripts still pass it, so every command that
 * takes `--target` also takes `--instance`, and its help says it is an alias.
 * Added once for the whole command tree (program.ts), so no command can
 * forget it.
 */
export function addInstanceAlias(cmd: Command): void {
  const longs = cmd.options.map(o => o.long);
  if (!longs.includes('--target') || longs.includes('--instance')) return;
  cmd
    .option('--instance <target>', 'alias of --target (its older name)')
    .on('option:instance', (value: string) =>
      cmd.setOptionValueWithSource('target', value, 'cli'),
    );
}
