import readline from 'node:readline';
import { CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

/** Whether there is someone to ask: stdin and stderr are terminals. */
export function canPrompt(term: Terminal): boolean {
  return !!term.stdin.isTTY && !!term.stderr.isTTY;
}

/** One line from the terminal, the prompt on stderr. */
export function ask(
  term: Terminal,
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({
      input: term.stdin,
      output: term.stderr,
      terminal: true,
    });
    if (options.hidden) {
      // Echo nothing while the secret is typed.
      (
        rl as unknown as { _writeToOutput: (s: string) => void }
      )._writeToOutput = (s: string) => {
        if (s.startsWith(question)) term.stderr.write(question);
      };
    }
    rl.on('SIGINT', () => {
      rl.close();
      term.stderr.write('\n');
      reject(new CliError('cancelled', ExitCode.Interrupted));
    });
    rl.question(question, answer => {
      rl.close();
      if (options.hidden) term.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * Asks before a destructive action. `--yes` skips the question; without a
 * terminal to ask on it refuses (exit 2) rather than guess; "no" cancels
 * (exit 8).
 */
export async function confirm(
  term: Terminal,
  options: { yes?: boolean; action: string; question?: string },
): Promise<void> {
  if (options.yes) return;
  assertCanConfirm(term, options);
  const answer = await ask(
    term,
    `${
      options.question ??
      `${options.action[0].toUpperCase()}${options.action.slice(1)}?`
    } [y/N] `,
  );
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new CliError('cancelled; nothing was changed', ExitCode.Cancelled);
}

/** Refuses early (before any request) when a confirmation will be needed but cannot be asked. */
export function assertCanConfirm(
  term: Terminal,
  options: { yes?: boolean; action: string },
): void {
  if (options.yes || canPrompt(term)) return;
  throw new UsageError(
    `refusing to ${options.action} without confirmation: there is no terminal to ask on; pass --yes to confirm`,
  );
}

/** All of stdin as text (for `--token-stdin`, `messages produce`, `-f -`). */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer),
    );
  return Buffer.concat(chunks).toString('utf8');
}
