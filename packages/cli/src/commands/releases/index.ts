import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addLsCommand } from './ls';
import { addShowCommand } from './show';
import { addDiffCommand } from './diff';

export function registerReleasesCommands(program: Command, io: CliIo) {
  const releases = program
    .command('releases')
    .alias('release')
    .description(
      'releases: immutable snapshots of the configuration a deploy shipped',
    );

  for (const add of [addLsCommand, addShowCommand, addDiffCommand]) {
    add(releases, io);
  }
}
