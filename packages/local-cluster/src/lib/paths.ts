import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = '@archon/local-cluster';

function readPackageJson(dir: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The folder of this package (holding maven/). Found by walking up from this
 * file rather than hard-coding `../..`, so it works from src/ (ts require hook,
 * jest) and from a bundled dist/ alike.
 */
export function findPackageRoot(
  // Walking up from here finds package.json both from src/ and from a bundled dist/,
  // so the production-build concern behind this rule does not apply.
  // eslint-disable-next-line no-restricted-syntax
  start: string = __dirname,
): string {
  let dir = path.resolve(start);
  for (;;) {
    if (readPackageJson(dir)?.name === PACKAGE_NAME) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find the ${PACKAGE_NAME} package above ${start}`);
    }
    dir = parent;
  }
}

/**
 * The monorepo root (the package.json with `workspaces`): the default home of
 * .archon/cache and .archon/run, which the repo's .gitignore ignores.
 */
export function findRepoRoot(packageRoot: string = findPackageRoot()): string {
  let dir = path.dirname(packageRoot);
  for (;;) {
    if (readPackageJson(dir)?.workspaces) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(packageRoot, '..', '..');
    dir = parent;
  }
}

/** Where this package's Maven project files live. */
export function mavenDir(packageRoot: string = findPackageRoot()): string {
  return path.join(packageRoot, 'maven');
}

/** Creates a folder (and parents) and returns it. */
export function ensureDir(dir: string, mode?: number): string {
  fs.mkdirSync(dir, { recursive: true, mode });
  return dir;
}

/** Writes a file atomically (temp file + rename), so readers never see half of it. */
export function writeFileAtomic(file: string, content: string): void {
  ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${Math.random()
    .toString(36)
    .slice(2)}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
