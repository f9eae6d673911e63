import { Command, CommanderError, Option } from 'commander';
import { commandGroups } from './commands';
import { addApiFields } from './commands/apiFields';
import { addExamples } from './commands/examples';
import { CliError } from './lib/errors';
import { ExitCode } from './lib/exitCodes';
import { addInstanceAlias } from './lib/targetOption';
import {
  colorEnabled,
  makeColors,
  OUTPUT_FORMATS,
  VIEW_FORMATS,
} from './lib/output';
import type { CliIo } from './lib/runtime';

/** The whole command tree. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('archon')
    .description(
      'The archon CLI: Pheidippides configuration, deploys and apps (Marathon), ZooKeeper, Kafka and Kafka Connect through the archon REST API.',
    )
    .version(cliVersion(), '-V, --version')
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format: table (for humans), json or yaml (for scripts); the graph commands also tree, dot or mermaid',
      )
        .choices([...OUTPUT_FORMATS, ...VIEW_FORMATS])
        .env('ARCHON_OUTPUT'),
    )
    .option('--no-color', 'no colors (also NO_COLOR=1)')
    .option(
      '--context <name>',
      'use this context instead of the current one (also ARCHON_CONTEXT)',
    )
    .option(
      '--url <url>',
      'archon backend URL for this command (also ARCHON_URL)',
    )
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Environment: ARCHON_URL, ARCHON_TOKEN, ARCHON_CONTEXT, ARCHON_OUTPUT, ARCHON_DEPLOY_TARGET, NO_COLOR, EDITOR.
Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 conflict, 5 auth, 6 unreachable,
7 invalid, 8 cancelled, 9 unhealthy, 10 deploy failed, 11 deploy timed out
(see the README of @archon/cli).
The API behind every command: <url>/api/archon/openapi.json (no token needed),
guide in docs/api.md; the words the CLI, API and portal share: docs/glossary.md.`,
    );

  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: s => io.stdout.write(s),
      writeErr: s => io.stderr.write(s),
      outputError: (s, write) =>
        write(
          colorEnabled({}, io.stderr, io.env) ? makeColors(true).red(s) : s,
        ),
    });
    cmd.showHelpAfterError('(add --help for usage)');
  };

  for (const group of commandGroups) group(program, io);

  const walk = (cmd: Command) => {
    configure(cmd);
    addInstanceAlias(cmd);
    addApiFields(cmd);
    addExamples(cmd);
    cmd.commands.forEach(walk);
  };
  walk(program);
  return program;
}

function cliVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../package.json') as { version: string }).version;
}

/**
 * Runs the CLI and returns the exit code; never throws. Errors are printed
 * as one line (plus details), without stack traces unless ARCHON_DEBUG is set.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  const colors = makeColors(
    colorEnabled({ color: !argv.includes('--no-color') }, io.stderr, io.env),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with exitCode 0; everything else is a usage error.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof CliError) {
      if (
        error.exitCode !== ExitCode.Interrupted ||
        error.message !== 'cancelled'
      ) {
        io.stderr.write(`${colors.red('error:')} ${error.message}\n`);
        for (const d of error.details) io.stderr.write(`${d}\n`);
      }
      if (io.env.ARCHON_DEBUG && error.stack)
        io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const e = error as Error;
    io.stderr.write(`${colors.red('error:')} ${e?.message ?? String(error)}\n`);
    if (io.env.ARCHON_DEBUG && e?.stack) io.stderr.write(`${e.stack}\n`);
    else
      io.stderr.write(
        '  (this is a bug in the archon CLI; ARCHON_DEBUG=1 shows the stack trace)\n',
      );
    return ExitCode.Error;
  }
}
