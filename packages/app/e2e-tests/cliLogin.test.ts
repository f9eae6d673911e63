// The CLI's sign-in end to end in the browser: `archon login --no-browser`
// prints the sign-in URL, the (guest-signed-in) browser opens it, the
// portal's consent page authorizes the CLI, and the browser lands on the
// CLI's loopback callback. Then the CLI acts as the guest: whoami, an
// audited config write, a masked secret; logout revokes the sign-in.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, BASE, expect, ROOT, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

/** The CLI's private HOME (in a hook: Playwright also loads this file to list the tests). */
let home: string;
const level = `/e2e-login-${Date.now().toString(36)}`;
const levelApi = encodeURIComponent(level.slice(1));
const secret = `hunter2-${Date.now().toString(36)}`;

test.beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'archon-e2e-login-'));
});

test.afterAll(async () => {
  await api('DELETE', `/config/sets/${levelApi}`).catch(() => {});
  if (home) rmSync(home, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI from the sources with a private HOME; `onStderr` sees stderr as it arrives. */
function archon(args: string[], onStderr?: (stderr: string) => void) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'packages', 'cli', 'bin', 'archon'), ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          NO_COLOR: '1',
          ARCHON_TOKEN_FILE: join(home, 'no-token'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => {
      stderr += d;
      onStderr?.(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectOk(what: string, run: Run) {
  expect(run.code, `${what} exited: ${run.stderr.trim()}`).toBe(0);
}

test('cli-login-in-browser', async ({ page }) => {
  let link: string | undefined;
  const login = archon(
    ['login', BASE, '--name', 'e2e', '--no-browser'],
    stderr => {
      link ??= stderr.match(/(http\S+\/v1\/authorize\?\S+)/)?.[1];
    },
  );
  await expect
    .poll(() => link, {
      message: 'archon login printed a sign-in URL',
      timeout: 30_000,
      intervals: [100],
    })
    .toBeTruthy();
  await page.goto(link!);
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page.getByText('Signed in to archon')).toBeVisible();
  const result = await login;
  expectOk('archon login', result);
  expect(result.stdout, 'login signed in the guest').toContain(
    'as user:default/guest',
  );
});

test('cli-acts-as-the-guest', async () => {
  const who = await archon(['whoami']);
  expectOk('archon whoami', who);
  expect(who.stdout.startsWith('user:default/guest\n'), who.stdout).toBe(true);
  expectOk(
    'archon config set',
    await archon(['config', 'set', level, 'greeting=hello']),
  );
  const audit = await api('GET', `/audit?target=${encodeURIComponent(level)}`);
  const actors: string[] = (audit.body?.items ?? []).map(
    (e: { actor: string }) => e.actor,
  );
  expect(actors.length, 'audit entries').toBeGreaterThan(0);
  expect(new Set(actors), 'audit actors').toEqual(
    new Set(['user:default/guest']),
  );
  // A secret the guest may not reveal (the local policy: not a secret reader).
  const put = await api('PATCH', `/config/sets/${levelApi}`, {
    set: { 'db.password': secret },
  });
  expect(put.status, 'writing the secret').toBe(200);
  const get = await archon(['config', 'get', level, '-o', 'json']);
  expectOk('archon config get', get);
  expect(get.stdout, 'the secret is masked').not.toContain(secret);
  expect(JSON.parse(get.stdout).masked, get.stdout).toBe(true);
});

test('cli-logout', async () => {
  expectOk('archon logout', await archon(['logout']));
  const who = await archon(['whoami']);
  expect(who.code, `whoami after logout: ${who.stdout}${who.stderr}`).toBe(5);
});
