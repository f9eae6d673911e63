import { commandPath } from './commands/examples';
import type { CliIo } from './lib/runtime';
import { buildProgram } from './program';
import type { Command } from 'commander';

const io = {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: {},
} as unknown as CliIo;

/** The `--help` text of a command, as `archon <path> --help` prints it. */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: s => (text += s) });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput({ writeOut: s => io.stdout.write(s) });
  }
  return text;
}

function leaves(cmd: Command): Command[] {
  const subs = cmd.commands.filter(c => c.name() !== 'help');
  return subs.length ? subs.flatMap(leaves) : [cmd];
}

describe('the command tree', () => {
  const program = buildProgram(io);

  it('every command shows examples in its --help', () => {
    const missing = leaves(program)
      .filter(
        c => !/\nExamples:\n {2}(archon|source|echo|EDITOR)/.test(helpOf(c)),
      )
      .map(commandPath);
    expect(missing).toEqual([]);
  });

  it('has the commands of the issue, the new ones included', () => {
    const paths = leaves(program).map(commandPath);
    expect(paths).toEqual(
      expect.arrayContaining([
        'apps tasks ls',
        'apps tasks kill',
        'apps queue',
        'deployments cancel',
        'graph',
        'impact',
        'path',
      ]),
    );
  });
});
