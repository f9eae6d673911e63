// The CLI's sign-in end to end in the browser: `archon login --no-browser`
// prints the sign-in URL, the (guest-signed-in) browser opens it, the
// portal's consent page authorizes the CLI, and the browser lands on the
// CLI's loopback callback. Then the CLI acts as the guest: whoami, an
// audited config write, a masked secret; logout revokes the sign-in.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the CLI from the sources with a private HOME; `onStderr` sees stderr as it arrives. */
function archon(root, home, args, onStderr) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'packages', 'cli', 'bin', 'archon'), ...args],
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

function expectOk(what, run) {
  if (run.code !== 0)
    throw new Error(`${what} exited ${run.code}: ${run.stderr.trim()}`);
}

/** `check`, `api` (static token), `log`: e2e.mjs's helpers; the page is signed in as guest. */
export async function cliLoginChecks(page, { check, api, base, root }) {
  const home = mkdtempSync(join(tmpdir(), 'archon-e2e-login-'));
  const level = `/e2e-login-${Date.now().toString(36)}`;
  const levelApi = encodeURIComponent(level.slice(1));
  const secret = `hunter2-${Date.now().toString(36)}`;
  try {
    await check('cli-login-in-browser', page, async () => {
      let link;
      const login = archon(
        root,
        home,
        ['login', base, '--name', 'e2e', '--no-browser'],
        stderr => {
          link ??= stderr.match(/(http\S+\/v1\/authorize\?\S+)/)?.[1];
        },
      );
      const deadline = Date.now() + 30_000;
      while (!link && Date.now() < deadline)
        await new Promise(r => setTimeout(r, 100));
      if (!link)
        throw new Error(
          `archon login printed no sign-in URL: ${(await login).stderr}`,
        );
      await page.goto(link);
      await page.getByRole('button', { name: 'Authorize' }).click();
      await page.getByText('Signed in to archon').waitFor();
      const result = await login;
      expectOk('archon login', result);
      if (!result.stdout.includes('as user:default/guest'))
        throw new Error(`login did not sign in the guest: ${result.stdout}`);
    });

    await check('cli-acts-as-the-guest', page, async () => {
      const who = await archon(root, home, ['whoami']);
      expectOk('archon whoami', who);
      if (!who.stdout.startsWith('user:default/guest\n'))
        throw new Error(`whoami: ${who.stdout}`);
      expectOk(
        'archon config set',
        await archon(root, home, ['config', 'set', level, 'greeting=hello']),
      );
      const audit = await api(
        'GET',
        `/audit?target=${encodeURIComponent(level)}`,
      );
      const actors = (audit.body?.items ?? []).map(e => e.actor);
      if (!actors.length || actors.some(a => a !== 'user:default/guest'))
        throw new Error(`audit actors: ${JSON.stringify(actors)}`);
      // A secret the guest may not reveal (the local policy: not a secret reader).
      const put = await api('PATCH', `/config/sets/${levelApi}`, {
        set: { 'db.password': secret },
      });
      if (put.status !== 200)
        throw new Error(`writing the secret answered ${put.status}`);
      const get = await archon(root, home, [
        'config',
        'get',
        level,
        '-o',
        'json',
      ]);
      expectOk('archon config get', get);
      if (get.stdout.includes(secret) || JSON.parse(get.stdout).masked !== true)
        throw new Error(`the secret is not masked: ${get.stdout}`);
    });

    await check('cli-logout', page, async () => {
      const out = await archon(root, home, ['logout']);
      expectOk('archon logout', out);
      const who = await archon(root, home, ['whoami']);
      if (who.code !== 5)
        throw new Error(
          `whoami after logout exited ${who.code}: ${who.stdout}${who.stderr}`,
        );
    });
  } finally {
    await api('DELETE', `/config/sets/${levelApi}`).catch(() => {});
    rmSync(home, { recursive: true, force: true });
  }
}
