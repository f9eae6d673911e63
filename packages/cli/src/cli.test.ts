/**
 * The CLI as a subprocess against a real archon backend: configuration,
 * ZooKeeper and the command line itself (see __testUtils__/cliSuite.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { makeCliHome, runCli } from './__testUtils__/cliTestBackend';
import {
  backend,
  cli,
  closedPort,
  expectNoStack,
  home,
  json,
  useCliBackend,
} from './__testUtils__/cliSuite';

jest.setTimeout(180_000);

useCliBackend();

describe('config', () => {
  const root = '/cli';

  it('round trip: set → get → resolve --explain shows provenance → history → diff', async () => {
    expect((await cli(['config', 'set', root, 'x=1', 'host=base'])).code).toBe(
      0,
    );
    const set = await cli([
      'config',
      'set',
      `${root}/svc`,
      'x=6',
      'url=http://${host}:80',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`${root}/svc (version 0): changed url, x`);

    const got = await cli(['config', 'get', `${root}/svc`]);
    expect(got.stdout).toMatch(/^url\s+http:\/\/\$\{host\}:80$/m);
    expect((await cli(['config', 'get', `${root}/svc`, 'x'])).stdout).toBe(
      '6\n',
    );
    expect(await json(['config', 'get', root])).toMatchObject({
      path: root,
      properties: { x: '1', host: 'base' },
      version: 0,
    });

    const explained = await cli([
      'config',
      'resolve',
      `${root}/svc`,
      '--explain',
    ]);
    expect(explained.code).toBe(0);
    // key, value, defined at, raw, overrides
    expect(explained.stdout).toMatch(/^host\s+base\s+\/cli$/m);
    expect(explained.stdout).toMatch(
      /^url\s+http:\/\/base:80\s+\/cli\/svc\s+http:\/\/\$\{host\}:80$/m,
    );
    expect(explained.stdout).toMatch(/^x\s+6\s+\/cli\/svc\s+\/cli=1$/m);
    const effective = await json(['config', 'resolve', `${root}/svc`]);
    expect(effective.properties).toEqual({
      x: '6',
      host: 'base',
      url: 'http://base:80',
    });
    expect(effective.provenance.x).toEqual({
      definedAt: '/cli/svc',
      raw: '6',
      shadowed: [{ path: '/cli', raw: '1' }],
    });

    expect((await cli(['config', 'set', root, 'host=moved'])).code).toBe(0);
    expect((await cli(['config', 'unset', root, 'x'])).code).toBe(0);
    const history = await json(['config', 'history', root]);
    expect(
      history.items.map((e: { action: string; changedKeys: string[] }) => [
        e.action,
        e.changedKeys,
      ]),
    ).toEqual([
      ['patch', ['x']],
      ['patch', ['host']],
      ['patch', ['host', 'x']],
    ]);
    const patch = await cli(['config', 'history', root, '-p']);
    expect(patch.stdout).toContain('~ host: base → moved');

    const diff = await cli(['config', 'diff', `${root}/svc`]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('never released');
    expect(diff.stdout).toContain('+ url = http://moved:80  (/cli/svc)');
    const pending = await json(['config', 'diff', `${root}/svc`]);
    expect(
      pending.diff.added.map((a: { key: string }) => a.key).sort(),
    ).toEqual(['host', 'url', 'x']);

    const tree = await cli(['config', 'tree', root]);
    expect(tree.stdout).toMatch(
      /^\/cli\s+\(1 key, v2\)\n└── svc\s+\(2 keys, v0\)$/m,
    );
    expect(
      YAML.parse((await cli(['config', 'tree', root, '-o', 'yaml'])).stdout),
    ).toMatchObject({ path: root, children: [{ path: `${root}/svc` }] });
  });

  it('--dry-run shows the impact and writes nothing', async () => {
    await cli(['config', 'set', '/dry', 'a=1']);
    await cli(['config', 'set', '/dry/app', 'b=${a}']);
    const r = await cli(['config', 'set', '/dry', 'a=2', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ b: 1 → 2');
    expect((await cli(['config', 'get', '/dry', 'a'])).stdout).toBe('1\n');
  });

  it('a stale edit (409) shows the newer set and reopens the editor on the merge', async () => {
    const level = '/edit/conflict';
    await cli(['config', 'set', level, 'x=1', 'y=1']);
    const dir = fs.mkdtempSync(path.join(home, 'editor-'));
    const editor = path.join(dir, 'editor.js');
    // Round 1: someone else writes x and z meanwhile, then "the user" saves x, y, w.
    // Round 2: the merge is accepted as it is; both files are kept to look at.
    fs.writeFileSync(
      editor,
      `
const fs = require('fs');
const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const round = fs.existsSync(${JSON.stringify(
        path.join(dir, 'round1'),
      )}) ? 2 : 1;
fs.writeFileSync(${JSON.stringify(dir)} + '/round' + round, text);
if (round === 1) {
  fetch(process.env.ARCHON_URL + '/api/archon/config/sets/edit%2Fconflict', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ set: { x: 'theirs', z: 'new' } }),
  }).then(r => {
    if (!r.ok) process.exit(3);
    fs.writeFileSync(file, 'x: mine\\ny: "1"\\nw: added\\n');
  });
}
`,
    );
    const r = await cli(['config', 'edit', level], {
      env: { EDITOR: `${process.execPath} ${editor}` },
    });
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'round1'), 'utf8')).toMatch(
      /version 0[\s\S]*^x: "1"$/m,
    );
    expect(r.stderr).toContain(
      `conflict: ${level} changed while you edited it (version 0 → version 1)`,
    );
    expect(r.stderr).toContain('~ x: 1 → theirs');
    expect(r.stderr).toContain('+ z = new');
    const round2 = fs.readFileSync(path.join(dir, 'round2'), 'utf8');
    expect(round2).toContain(
      '# CONFLICT: both changed "x": yours = "mine", theirs = "theirs"',
    );
    expect(round2).toMatch(/^z: new$/m);
    expect((await json(['config', 'get', level])).properties).toEqual({
      x: 'mine',
      y: '1',
      z: 'new',
      w: 'added',
    });
  });

  it('an unknown path exits 3 with one line and no stack trace', async () => {
    const results = await Promise.all(
      [
        ['config', 'get', '/no/such/level'],
        ['config', 'resolve', '/no/such/level'],
        ['config', 'get', '/cli', 'nokey'],
      ].map(args => cli(args)),
    );
    for (const r of results) {
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^error: .+/);
      expectNoStack(r.stderr);
    }
    expect(results[0].stderr).toBe(
      'error: There is no configuration level /no/such/level (HTTP 404 NotFoundError)\n',
    );
  });

  it('refuses to delete a set without --yes and without a terminal (exit 2); deletes with --yes', async () => {
    await cli(['config', 'set', '/gone', 'a=1']);
    const refused = await cli(['config', 'unset', '/gone', '--all']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no terminal to ask on; pass --yes');
    expect((await cli(['config', 'get', '/gone', 'a'])).code).toBe(0);
    expect(
      (await cli(['config', 'unset', '/gone', '--all', '--yes'])).code,
    ).toBe(0);
    expect((await cli(['config', 'get', '/gone'])).code).toBe(3);
  });
});

describe('zk', () => {
  const raw = () => `${backend.ns.zkRoot}/raw`;

  it('create, get, set (stale version: exit 4), ls, export, import --dry-run and --yes, rm -r', async () => {
    expect(
      (
        await cli([
          'zk',
          'create',
          `${raw()}/app/settings`,
          '--json',
          '{"threads":4}',
          '-p',
        ])
      ).code,
    ).toBe(0);
    expect(
      (await cli(['zk', 'create', `${raw()}/app/name`, 'orders'])).code,
    ).toBe(0);
    expect((await cli(['zk', 'get', `${raw()}/app/settings`])).stdout).toBe(
      '{\n  "threads": 4\n}\n',
    );
    const znode = await json(['zk', 'get', `${raw()}/app/name`]);
    expect(znode).toMatchObject({
      path: `${raw()}/app/name`,
      data: { format: 'text', text: 'orders' },
      stat: { version: 0 },
    });

    const stale = await cli([
      'zk',
      'set',
      `${raw()}/app/name`,
      'payments',
      '--expected-version',
      '3',
    ]);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('is now at version 0');
    expect(
      (
        await cli([
          'zk',
          'set',
          `${raw()}/app/name`,
          'payments',
          '--expected-version',
          '0',
        ])
      ).code,
    ).toBe(0);
    expect((await cli(['zk', 'get', `${raw()}/app/name`])).stdout).toBe(
      'payments\n',
    );
    const children = await json(['zk', 'ls', `${raw()}/app`]);
    expect(children.items.map((c: { name: string }) => c.name)).toEqual([
      'name',
      'settings',
    ]);

    const file = path.join(home, 'zk-export.json');
    expect((await cli(['zk', 'export', `${raw()}/app`, '-f', file])).code).toBe(
      0,
    );
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
      format: 'archon.zookeeper.export/v1',
      nodeCount: 3,
    });

    const copy = `${raw()}/copy`;
    const plan = await json(['zk', 'import', copy, '-f', file, '--dry-run']);
    expect(plan).toMatchObject({ dryRun: true, applied: false });
    expect(plan.creates.map((c: { path: string }) => c.path).sort()).toEqual([
      copy,
      `${copy}/name`,
      `${copy}/settings`,
    ]);
    expect((await cli(['zk', 'get', copy])).code).toBe(3);
    expect((await cli(['zk', 'import', copy, '-f', file])).code).toBe(2);
    const applied = await cli(['zk', 'import', copy, '-f', file, '--yes']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`imported into ${copy}: 3 created`);
    expect((await cli(['zk', 'get', `${copy}/name`])).stdout).toBe(
      'payments\n',
    );

    const refused = await cli(['zk', 'rm', raw(), '-r']);
    expect(refused.code).toBe(2);
    const removed = await cli(['zk', 'rm', raw(), '-r', '--yes']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`deleted 7 znodes at ${raw()}`);
    expect((await cli(['zk', 'ls', raw()])).code).toBe(3);
  });
});

describe('the command line itself', () => {
  it('-o json is parseable for health and the context commands', async () => {
    const health = await json(['health']);
    expect(health.systems.map((s: { kind: string }) => s.kind).sort()).toEqual([
      'kafka',
      'kafka-connect',
      'zookeeper',
    ]);
    expect(await json(['context', 'current'])).toMatchObject({
      url: backend.url,
      urlSource: 'ARCHON_URL',
      tokenSource: 'none',
    });
  });

  it('an unreachable backend exits 6 and names the URL tried', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await cli(['config', 'get', '/x'], { env: { ARCHON_URL: url } });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(
      `cannot reach archon at ${url}/api/archon/config/sets/x`,
    );
    expect(r.stderr).toContain('ECONNREFUSED');
    expectNoStack(r.stderr);
  });

  it('a rejected token exits 5 and says how to log in', async () => {
    const r = await cli(['health'], { env: { ARCHON_TOKEN: 'not-a-token' } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/HTTP 401/);
    expect(r.stderr).toContain(`archon login ${backend.url}`);
  });

  it('colors only when asked for, never with --no-color or NO_COLOR', async () => {
    const esc = '\u001b[';
    const [forced, noColor, envNoColor, piped] = await Promise.all([
      cli(['health'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
      cli(['health', '--no-color'], {
        env: { NO_COLOR: undefined, FORCE_COLOR: '1' },
      }),
      cli(['health'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }),
      cli(['health'], { env: { NO_COLOR: undefined } }),
    ]);
    expect(forced.stdout).toContain(esc);
    for (const r of [noColor, envNoColor, piped]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(esc);
    }
    // Since when each system has had its status: a clock time and how long.
    expect(piped.stdout).toMatch(/ SINCE /);
    expect(piped.stdout).toMatch(
      /\d\d:\d\d:\d\d \((\d+ ms|[\d.]+ s|\d+ m \d+ s|\d+ h \d+ m)\)/,
    );
  });

  it('usage errors exit 2', async () => {
    const [unknown, missing, badInt, badFormat, help] = await Promise.all([
      cli(['nope']),
      cli(['config', 'get']),
      cli(['topics', 'create', 'x', '-p', 'zero']),
      cli(['health', '-o', 'xml']),
      cli(['--help']),
    ]);
    expect([
      unknown.code,
      missing.code,
      badInt.code,
      badFormat.code,
      help.code,
    ]).toEqual([2, 2, 2, 2, 0]);
    expect(unknown.stderr).toContain("unknown command 'nope'");
    expect(help.stdout).toContain('Exit codes:');
  });

  it('contexts: login saves a checked context (mode 600) that later commands use; ARCHON_URL overrides it', async () => {
    const ctxHome = makeCliHome();
    const run = (
      args: string[],
      env: Record<string, string | undefined> = {},
    ) =>
      runCli(args, { home: ctxHome, env: { ARCHON_URL: undefined, ...env } });
    try {
      const badLogin = await run(
        ['login', backend.url, '--name', 'test', '--token-stdin'],
        {},
      );
      expect(badLogin.code).toBe(2); // empty stdin
      const login = await runCli(
        ['login', backend.url, '--name', 'test', '--token-stdin'],
        {
          home: ctxHome,
          input: 'mock-user-token\n',
          env: { ARCHON_URL: undefined },
        },
      );
      expect(login.code).toBe(0);
      const file = path.join(ctxHome, 'config', 'archon', 'config.yaml');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(YAML.parse(fs.readFileSync(file, 'utf8'))).toEqual({
        currentContext: 'test',
        contexts: { test: { url: backend.url, token: 'mock-user-token' } },
      });

      expect((await run(['config', 'set', '/ctx', 'a=1'])).code).toBe(0);
      expect(
        (
          await run([
            'context',
            'add',
            'down',
            `http://127.0.0.1:${await closedPort()}`,
          ])
        ).code,
      ).toBe(0);
      const ls = JSON.parse(
        (await run(['context', 'ls', '-o', 'json'])).stdout,
      );
      expect(
        ls.contexts.map((c: { name: string; current: boolean }) => [
          c.name,
          c.current,
        ]),
      ).toEqual([
        ['test', true],
        ['down', false],
      ]);
      expect((await run(['--context', 'down', 'health'])).code).toBe(6);
      expect((await run(['context', 'use', 'down'])).code).toBe(0);
      expect((await run(['health'])).code).toBe(6);
      // The environment wins over the context, and the context's token stays with its URL.
      expect((await run(['health'], { ARCHON_URL: backend.url })).code).toBe(0);
      expect((await run(['context', 'use', 'nope'])).code).toBe(3);
      // A bad token in a context is sent (and refused).
      expect(
        (
          await run([
            'context',
            'add',
            'bad',
            backend.url,
            '--token',
            'bogus',
            '--use',
          ])
        ).code,
      ).toBe(0);
      expect((await run(['health'])).code).toBe(5);
    } finally {
      fs.rmSync(ctxHome, { recursive: true, force: true });
    }
  });
});
