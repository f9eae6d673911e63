import { spawn } from 'node:child_process';
import path from 'node:path';
import { findPackageRoot, findRepoRoot } from '../lib/paths';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI (src/cli.ts) in a child process through Backstage's TypeScript
 * require hook, the same way a developer does.
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const packageRoot = findPackageRoot();
  const hook = require.resolve('@backstage/cli/config/nodeTransform.cjs');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--require', hook, path.join(packageRoot, 'src', 'cli.ts'), ...args],
      {
        cwd: findRepoRoot(packageRoot),
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code => resolve({ code, stdout, stderr }));
  });
}
