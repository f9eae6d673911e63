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

  it('names commands as docs/glossary.md does and keeps the older names as aliases, saying so in --help', () => {
    const config = commandNamed(program, 'config');
    for (const [cmd, aliases] of [
      [commandNamed(program, 'consumer-groups'), ['groups', 'group']],
      [commandNamed(program, 'zookeeper'), ['zk']],
      [commandNamed(config, 'effective'), ['resolve']],
      [commandNamed(config, 'pending'), ['diff']],
    ] as const) {
      expect(cmd.aliases()).toEqual(aliases);
      expect(helpOf(cmd)).toContain(
        `(alias${aliases.length > 1 ? 'es' : ''}: ${aliases.join(', ')})`,
      );
    }
    // Every command with --target takes --instance, its older name, and says so.
    const all = (cmd: Command): Command[] => [
      cmd,
      ...cmd.commands.flatMap(all),
    ];
    const withTarget = all(program).filter(c =>
      c.options.some(o => o.long === '--target'),
    );
    expect(withTarget.map(commandPath)).toEqual(
      expect.arrayContaining([
        'deploy',
        'rollback',
        'apps ls',
        'apps scale',
        'deployments ls',
      ]),
    );
    for (const cmd of withTarget) {
      expect(helpOf(cmd)).toMatch(/--instance <target>\s+alias of --target/);
    }
  });

  it('--instance sets the same option as --target', async () => {
    const prog = buildProgram(io);
    const deploy = commandNamed(prog, 'deploy');
    deploy.action(() => {});
    await prog.parseAsync(['deploy', '/x', '--instance', 'prod'], {
      from: 'user',
    });
    expect(deploy.opts().target).toBe('prod');
  });
});

function commandNamed(cmd: Command, name: string): Command {
  const found = cmd.commands.find(c => c.name() === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}
