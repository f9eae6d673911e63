/**
 * Seeds the sample pipeline through archon's REST API:
 *
 *   yarn workspace @archon/sample-pipeline seed [--url http://localhost:7007] [--name sample] [--verify]
 *
 * The token comes from ARCHON_TOKEN, else the file ARCHON_TOKEN_FILE (default
 * .archon/api-token); the URL from --url, else ARCHON_URL. `--verify` then
 * waits until the sink file holds aggregates. Exit code 0 on success, 1 when
 * archon refused a step (its message is printed), 2 for bad arguments.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedPipeline, SeedError } from './seed';
import { waitForSinkLines } from './verify';

// eslint-disable-next-line no-restricted-syntax -- the apps and the run folder are found next to the sources
const PACKAGE_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(PACKAGE_DIR, '..', '..');

function parseArgs(argv: string[]) {
  const args: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--verify') args.verify = true;
    else if (a === '--url' || a === '--name')
      args[a.slice(2)] = argv[++i] ?? '';
    else
      throw new SeedError(
        `unknown argument "${a}" (use --url <url>, --name <name>, --verify)`,
      );
  }
  return args;
}

async function main() {
  const started = Date.now();
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const baseUrl =
    (args.url as string) || process.env.ARCHON_URL || 'http://localhost:7007';
  const name = (args.name as string) || 'sample';
  const tokenFile =
    process.env.ARCHON_TOKEN_FILE ||
    path.join(REPO_DIR, '.archon', 'api-token');
  const token =
    process.env.ARCHON_TOKEN ||
    (fs.existsSync(tokenFile)
      ? fs.readFileSync(tokenFile, 'utf8').trim()
      : undefined);
  const runDir =
    process.env.ARCHON_RUN_DIR || path.join(REPO_DIR, '.archon', 'run');
  console.log(`sample pipeline "${name}" at ${baseUrl}:`);
  const result = await seedPipeline({
    baseUrl,
    token,
    name,
    nodeBinary: process.execPath,
    appsDir: path.join(PACKAGE_DIR, 'apps'),
    dataDir: path.join(runDir, 'sample-pipeline', name),
    log: line => console.log(line),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    result.changed === 0
      ? `sample pipeline: already seeded, nothing changed (${seconds} s)`
      : `sample pipeline: ${result.changed} change(s) applied (${seconds} s)`,
  );
  if (args.verify) {
    const lines = await waitForSinkLines(
      result.definition.files.output,
      1,
      90_000,
    );
    console.log(
      `sample pipeline: flowing, ${lines.length} aggregate line(s) in ${result.definition.files.output}`,
    );
  } else {
    console.log(
      `sample pipeline: source ${result.definition.files.input} → sink ${result.definition.files.output}`,
    );
  }
}

main().catch(error => {
  process.stderr.write(
    `sample pipeline: ${
      error instanceof SeedError ? error.message : (error as Error).stack
    }\n`,
  );
  process.exit(1);
});
