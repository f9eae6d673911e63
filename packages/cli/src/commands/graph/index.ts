import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addGraphCommand } from './graph';
import { addImpactCommand } from './impact';
import { addLineageCommand } from './lineage';
import { addPathCommand } from './path';

export function registerGraphCommands(program: Command, io: CliIo) {
  for (const add of [
    addGraphCommand,
    addImpactCommand,
    addLineageCommand,
    addPathCommand,
  ]) {
    add(program, io);
  }
}
