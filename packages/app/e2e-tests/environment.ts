// Where the browser tests find the portal, the browser and the API token;
// read by playwright.config.ts, the global setup and the fixtures.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@archon/local-cluster/testing';

export const ROOT = join(__dirname, '..', '..', '..');

/** The portal under test: ARCHON_E2E_URL, else the port scripts/start.sh serves on. */
export const BASE = (
  process.env.ARCHON_E2E_URL ??
  `http://localhost:${process.env.ARCHON_BACKEND_PORT ?? 7007}`
).replace(/\/$/, '');

/** Debian's Chromium: Playwright drives it, no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and per-test output (cleaned by Playwright at the start of a run). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
/** The guest's signed-in browser state, written by signIn.setup.ts (outside ARTIFACTS, which is cleaned). */
export const GUEST_STATE = join(
  ROOT,
  'test-artifacts',
  'e2e-auth',
  'guest.json',
);

/** A line of the run's log (stdout, as the reporters write). */
export const log = (line: string) => process.stdout.write(`e2e: ${line}\n`);

export function token(): string {
  const file = join(ROOT, '.archon', 'api-token');
  if (!existsSync(file))
    throw new Error(`${file} is missing; scripts/start.sh creates it`);
  return readFileSync(file, 'utf8').trim();
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The backend may be restarting: wait for its readiness. */
export async function waitForPortal(timeoutMs = 180_000): Promise<void> {
  const ready = `${BASE}/.backstage/health/v1/readiness`;
  await waitFor(
    () => answers(ready),
    timeoutMs,
    `the portal at ${BASE} to be ready`,
    2000,
  );
}

/** Starts the portal with scripts/start.sh --detach when it does not answer. */
export async function ensurePortal(): Promise<void> {
  if (await answers(`${BASE}/.backstage/health/v1/readiness`)) return;
  log(
    `the portal does not answer at ${BASE}; starting it with scripts/start.sh --detach`,
  );
  const result = spawnSync(join(ROOT, 'scripts', 'start.sh'), ['--detach'], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  if (result.status !== 0)
    throw new Error(`scripts/start.sh --detach failed (exit ${result.status})`);
  await waitForPortal();
}

/** Installs Debian's chromium with apt-get when it is missing (fresh CI machines). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  log(`${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args: string[]) => {
    const [cmd, argv] = asRoot
      ? ['apt-get', args]
      : ['sudo', ['-n', 'apt-get', ...args]];
    const result = spawnSync(cmd as string, argv as string[], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (exit ${
          result.status
        }); install chromium yourself`,
      );
    }
  };
  apt('update');
  apt('install', '-y', 'chromium');
  if (!existsSync(CHROMIUM))
    throw new Error(
      `apt-get installed chromium but ${CHROMIUM} is still missing`,
    );
}
