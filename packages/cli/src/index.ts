/**
 * The `archon` CLI entry point. `bin/archon` loads this file through
 * Backstage's TypeScript transform and calls `main()`, so the CLI runs
 * without a build step; `node --require @backstage/cli-node/config/nodeTransform.cjs
 * packages/cli/src/index.ts` does the same.
 */
import { runCli } from './program';
import { ExitCode } from './lib/exitCodes';
import { interruptHandlers } from './lib/runtime';

export { runCli, buildProgram } from './program';
export { ExitCode } from './lib/exitCodes';

export function main(argv: string[] = process.argv.slice(2)): void {
  process.on('SIGINT', () => {
    // A command that streams (messages tail) ends cleanly on Ctrl-C.
    const handler = interruptHandlers[interruptHandlers.length - 1];
    if (handler) handler();
    else process.exit(ExitCode.Interrupted);
  });
  // A closed pipe (`archon ... | head`) is not an error.
  process.stdout.on('error', error => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE')
      process.exit(ExitCode.Ok);
  });
  runCli(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then(code => {
    // Let pending writes reach the pipe, then exit even if idle sockets linger.
    process.stdout.write('', () => process.exit(code));
  });
}

if (require.main === module) main();
