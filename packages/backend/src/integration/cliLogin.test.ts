/*
 * A person signs in to the CLI and acts as themselves. The archon CLI (a
 * subprocess, packages/cli/bin/archon) runs `archon login --no-browser`
 * against archon with Backstage's real auth backend (app-config.yaml's auth
 * section: guest provider, OIDC provider with client-ID metadata documents,
 * refresh tokens) and the team permission policy. The sign-in is approved
 * as the portal's consent page does it: the guest signs in with the guest
 * provider and approves the authorization session through the auth
 * backend's API; the browser then follows the redirect to the CLI's
 * loopback callback.
 *
 * Then: the CLI stores the tokens (mode 600), `whoami` names the guest, a
 * config write is audited and recorded in history as the guest, a secret
 * under another team's path is masked, a write there exits 5 naming the
 * permission, an expired access token is renewed silently, and logout
 * revokes the refresh token.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import request from 'supertest';
import { ArchonTeamPermissionPolicy } from '../modules/ArchonTeamPermissionPolicy';
import {
  appConfigExternalAccess,
  startIdentityBackend,
  type IdentityBackend,
} from '../__testUtils__/identityBackend';

jest.setTimeout(180_000);

// eslint-disable-next-line no-restricted-syntax -- the CLI runs from its sources, as `yarn archon` does
const BIN = path.resolve(__dirname, '..', '..', '..', 'cli', 'bin', 'archon');
const automationToken = `automation-${randomBytes(12).toString('hex')}`;
const secret = `hunter2-${randomBytes(6).toString('hex')}`;

let backend: IdentityBackend;
let home: string;
let configFile: string;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a private HOME; `onStderr` sees its stderr as it arrives. */
function archon(
  args: string[],
  onStderr?: (text: string) => void,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        NO_COLOR: '1',
        ARCHON_TOKEN_FILE: path.join(home, 'no-token'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => {
      stderr += d;
      onStderr?.(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function storedUser() {
  const doc = YAML.parse(fs.readFileSync(configFile, 'utf8'));
  return doc.contexts.test.user as {
    userEntityRef: string;
    accessToken: string;
    refreshToken: string;
    expiresAt: string;
    clientId: string;
  };
}

beforeAll(async () => {
  // The guest provider and client-ID documents on http://localhost work in
  // development only, as the embedded profile runs the backend.
  process.env.NODE_ENV = 'development';
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-cli-login-'));
  configFile = path.join(home, 'config', 'archon', 'config.yaml');
  backend = await startIdentityBackend({
    label: 'cli-login',
    policy: ({ userInfo }) =>
      new ArchonTeamPermissionPolicy({
        userInfo,
        teams: [
          { group: 'group:default/guests', prefixes: ['/guests'] },
          { group: 'group:default/sample-team', prefixes: ['/sample-team'] },
        ],
        adminGroup: 'group:default/archon-admins',
      }),
    externalAccess: appConfigExternalAccess(automationToken),
    guestOwnership: ['user:default/guest', 'group:default/guests'],
  });
  // Another team's secret, written by automation.
  const put = await request(backend.server)
    .put('/api/archon/config/sets/sample-team/app')
    .set('Authorization', `Bearer ${automationToken}`)
    .send({ properties: { 'db.password': secret, 'db.user': 'app' } });
  if (put.status !== 200)
    throw new Error(
      `the other team's set was not written: ${put.status} ${put.text}`,
    );
});

afterAll(async () => {
  await backend?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('archon login', () => {
  it('signs the guest in through the auth backend and stores the tokens in the context, mode 600', async () => {
    let approved: Promise<void> | undefined;
    const login = archon(
      ['login', backend.url, '--name', 'test', '--no-browser'],
      stderr => {
        const link = stderr.match(/(http\S+\/v1\/authorize\?\S+)/)?.[1];
        if (link && !approved) approved = approveAsGuest(link);
      },
    );
    const result = await login;
    await approved;
    expect([result.code, result.stderr]).toEqual([
      0,
      expect.stringContaining('Open this URL in a browser to sign in:'),
    ]);
    expect(result.stdout).toContain('Signed in to');
    expect(result.stdout).toContain('as user:default/guest');
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    const user = storedUser();
    expect(user).toMatchObject({
      userEntityRef: 'user:default/guest',
      clientId: `${backend.url}/api/auth/.well-known/oauth-client/cli.json`,
    });
    expect(user.refreshToken).toEqual(expect.any(String));
  });

  it('whoami and context current name the guest', async () => {
    const who = await archon(['whoami', '--context', 'test']);
    expect([who.code, who.stderr]).toEqual([0, '']);
    expect(who.stdout).toBe(
      'user:default/guest\n  member of group:default/guests\n',
    );
    const current = await archon(['context', 'current', '-o', 'json']);
    expect(JSON.parse(current.stdout)).toMatchObject({
      context: 'test',
      tokenSource: 'signed-in user',
      identity: 'user:default/guest',
    });
  });

  it('a config write is the guest’s: in the audit log and the history', async () => {
    const set = await archon([
      'config',
      'set',
      '/guests/app',
      'greeting=hello',
    ]);
    expect([set.code, set.stderr]).toEqual([0, '']);
    const audit = await request(backend.server)
      .get('/api/archon/audit?action=config-set-patch')
      .set('Authorization', `Bearer ${automationToken}`);
    const puts = await request(backend.server)
      .get('/api/archon/audit')
      .set('Authorization', `Bearer ${automationToken}`);
    const rows = [...audit.body.items, ...puts.body.items].filter(
      (e: { target: { resource: string } }) =>
        e.target.resource === '/guests/app',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((e: { actor: string }) => e.actor)).toEqual(
      rows.map(() => 'user:default/guest'),
    );
    const history = await archon([
      'config',
      'history',
      '/guests/app',
      '-o',
      'json',
    ]);
    expect(history.code).toBe(0);
    expect(history.stdout).toContain('user:default/guest');
  });

  it("shows another team's secret masked", async () => {
    const get = await archon([
      'config',
      'get',
      '/sample-team/app',
      '-o',
      'json',
    ]);
    expect([get.code, get.stderr]).toEqual([0, '']);
    expect(get.stdout).not.toContain(secret);
    expect(JSON.parse(get.stdout)).toMatchObject({ masked: true });
  });

  it("refuses a write under another team's path: exit 5 naming the permission", async () => {
    const set = await archon([
      'config',
      'set',
      '/sample-team/app',
      'greeting=hello',
    ]);
    expect(set.code).toBe(5);
    expect(set.stderr).toContain('archon.config.write');
  });

  it('renews an expired access token silently and saves the rotated tokens', async () => {
    const before = storedUser();
    const doc = YAML.parse(fs.readFileSync(configFile, 'utf8'));
    doc.contexts.test.user.expiresAt = new Date(
      Date.now() - 1000,
    ).toISOString();
    fs.writeFileSync(configFile, YAML.stringify(doc), { mode: 0o600 });
    const who = await archon(['whoami']);
    expect([who.code, who.stderr]).toEqual([0, '']);
    const after = storedUser();
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // The old refresh token was spent by the rotation.
    const reuse = await request(backend.server)
      .post('/api/auth/v1/token')
      .send({
        grant_type: 'refresh_token',
        refresh_token: before.refreshToken,
        client_id: before.clientId,
      });
    expect(reuse.status).toBe(400);
  });

  it('logout revokes the refresh token and forgets the sign-in', async () => {
    const { refreshToken, clientId } = storedUser();
    const out = await archon(['logout']);
    expect([out.code, out.stderr]).toEqual([0, '']);
    expect(out.stdout).toContain('Signed out user:default/guest');
    expect(
      YAML.parse(fs.readFileSync(configFile, 'utf8')).contexts.test.user,
    ).toBeUndefined();
    const refresh = await request(backend.server)
      .post('/api/auth/v1/token')
      .send({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
    const who = await archon(['whoami']);
    expect(who.code).toBe(5);
  });

  it('signs in again into the current context when no URL is given', async () => {
    let approved: Promise<void> | undefined;
    const login = await archon(['login', '--no-browser'], stderr => {
      const link = stderr.match(/(http\S+\/v1\/authorize\?\S+)/)?.[1];
      if (link && !approved) approved = approveAsGuest(link);
    });
    await approved;
    expect([login.code, login.stdout]).toEqual([
      0,
      expect.stringContaining('(context "test", now current'),
    ]);
    expect(
      Object.keys(YAML.parse(fs.readFileSync(configFile, 'utf8')).contexts),
    ).toEqual(['test']);
    expect(storedUser().userEntityRef).toBe('user:default/guest');
  });
});

/**
 * What a browser does with the printed link: the authorize endpoint sends it
 * to the portal's consent page (/oauth2/authorize/<session>), where the
 * signed-in guest approves; the approval answers with the CLI's callback
 * URL, which the browser opens.
 */
async function approveAsGuest(link: string): Promise<void> {
  const authorize = await fetch(link, { redirect: 'manual' });
  const consent = authorize.headers.get('location') ?? '';
  const sessionId = consent.match(/\/oauth2\/authorize\/([^/?#]+)/)?.[1];
  if (!sessionId)
    throw new Error(
      `the authorize endpoint did not send the browser to the consent page: ${authorize.status} ${consent}`,
    );
  const guest = await backend.guestToken();
  const approve = await fetch(
    `${backend.url}/api/auth/v1/sessions/${sessionId}/approve`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${guest}`,
        'Content-Type': 'application/json',
      },
    },
  );
  if (!approve.ok)
    throw new Error(
      `approval answered ${approve.status}: ${await approve.text()}`,
    );
  const { redirectUrl } = (await approve.json()) as { redirectUrl: string };
  const callback = await fetch(redirectUrl);
  if (!callback.ok)
    throw new Error(
      `the CLI's callback answered ${
        callback.status
      }: ${await callback.text()}`,
    );
}
