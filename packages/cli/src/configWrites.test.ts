import fs from 'node:fs';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

/**
 * `archon config` writes that never surprise (#14): no-ops, refused breaking
 * writes (exit 7), --force, rm, restore and the partial explain, as a
 * subprocess against a real archon backend on the real local cluster.
 */
let backend: CliTestBackend;
let home: string;

const cli = (args: string[]) =>
  runCli(args, { home, env: { ARCHON_URL: backend.url } });

beforeAll(async () => {
  backend = await startCliTestBackend('cli-config-writes');
  home = makeCliHome();
});

afterAll(async () => {
  await backend?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

it('a set of the value already there says so and keeps the version', async () => {
  await cli(['config', 'set', '/same', 'only=2']);
  const again = await cli(['config', 'set', '/same', 'only=2']);
  expect(again.code).toBe(0);
  expect(again.stdout).toBe(
    '/same (version 0): nothing changed (the set already is so; nothing written)\n',
  );
  const unset = await cli([
    'config',
    'unset',
    '/same',
    'not-there',
    '-o',
    'json',
  ]);
  expect(JSON.parse(unset.stdout)).toMatchObject({
    version: 0,
    changedKeys: [],
    unchanged: true,
  });
});

it('a breaking write exits 7 listing the broken paths; --force writes it', async () => {
  await cli(['config', 'set', '/probe', 'host=h']);
  await cli(['config', 'set', '/probe/foo', 'url=http://${host}']);
  await cli(['config', 'set', '/probe/foo/bar', 'own=1']);
  const refused = await cli(['config', 'unset', '/probe', 'host']);
  expect(refused.code).toBe(7);
  expect(refused.stderr).toContain(
    'refused: the write would break 2 paths that resolve now; nothing was written',
  );
  expect(refused.stderr).toMatch(
    /✗ \/probe\/foo \(url\): key "url" .*"host" is not defined/,
  );
  expect(refused.stderr).toMatch(/✗ \/probe\/foo\/bar \(url\)/);
  expect(refused.stderr).toContain('write anyway with --force');
  expect((await cli(['config', 'get', '/probe', 'host'])).stdout).toBe('h\n');

  const leaf = await cli(['config', 'set', '/probe/foo/bar', 'q=${nothere}']);
  expect(leaf.code).toBe(7);
  expect(leaf.stderr).toContain(
    'refused: the write would break 1 path that resolves now',
  );

  const forced = await cli(['config', 'unset', '/probe', 'host', '--force']);
  expect(forced.code).toBe(0);
  expect(forced.stdout).toContain(
    'forced: /probe/foo no longer resolves (url)',
  );
});

it('resolve --explain lists the keys that resolve and exits 7 naming the others', async () => {
  await cli([
    'config',
    'set',
    '/partial',
    'good=1',
    'bad=${missing}',
    '--force',
  ]);
  const r = await cli(['config', 'resolve', '/partial', '--explain']);
  expect(r.code).toBe(7);
  expect(r.stdout).toMatch(/good/);
  expect(r.stdout).toMatch(/✗ bad: key "bad" .*"missing" is not defined/);
  expect(r.stderr).toContain(
    '/partial does not resolve: 1 key cannot be substituted',
  );
  // Without --explain the plain read still fails whole.
  expect((await cli(['config', 'resolve', '/partial'])).code).toBe(7);
});

it('config rm removes empty levels, refuses over sets below, and -r --yes removes them with the count', async () => {
  await cli(['config', 'set', '/rmme/a/leaf', 'k=1']);
  await cli(['config', 'unset', '/rmme/a/leaf', '--all', '--yes']);
  const empty = await cli(['config', 'rm', '/rmme']);
  expect(empty.code).toBe(0);
  expect(empty.stdout).toBe('✓ removed /rmme: 2 levels, 0 sets\n');

  await cli(['config', 'set', '/rmtree/x', 'k=1']);
  await cli(['config', 'set', '/rmtree/y/z', 'k=2']);
  const refused = await cli(['config', 'rm', '/rmtree']);
  expect(refused.code).toBe(4);
  expect(refused.stderr).toMatch(
    /2 levels below \/rmtree still hold a configuration set/,
  );
  const noTerminal = await cli(['config', 'rm', '/rmtree', '-r']);
  expect(noTerminal.code).toBe(2);
  expect(noTerminal.stderr).toContain('4 levels, 2 sets');
  const removed = await cli(['config', 'rm', '/rmtree', '-r', '--yes']);
  expect(removed.code).toBe(0);
  expect(removed.stdout).toBe('✓ removed /rmtree: 4 levels, 2 sets\n');
  expect((await cli(['config', 'tree', '/rmtree'])).code).toBe(3);
});

it('config restore writes an earlier version again and the history says so', async () => {
  await cli(['config', 'set', '/rst', 'a=1']);
  await cli(['config', 'set', '/rst', 'a=2']);
  const restored = await cli(['config', 'restore', '/rst', '0']);
  expect(restored.code).toBe(0);
  expect(restored.stdout).toContain('/rst (version 2): changed a');
  expect((await cli(['config', 'get', '/rst', 'a'])).stdout).toBe('1\n');
  const history = JSON.parse(
    (await cli(['config', 'history', '/rst', '-o', 'json'])).stdout,
  );
  expect(history.items[0]).toMatchObject({
    action: 'restore',
    note: 'restored from v0',
  });
  expect((await cli(['config', 'restore', '/rst', '7'])).code).toBe(3);
});

it('zk writes under the configuration root are refused (exit 4) unless --raw', async () => {
  await cli(['config', 'set', '/zkraw', 'a=1']);
  const znode = `${backend.ns.zkRoot}/pheidippides/zkraw`;
  const refused = await cli(['zk', 'set', znode, '{"a":"2"}', '--json']);
  expect(refused.code).toBe(4);
  expect(refused.stderr).toContain('archon config set /zkraw');
  const raw = await cli(['zk', 'set', znode, '{"a":"2"}', '--json', '--raw']);
  expect(raw.code).toBe(0);
  const history = JSON.parse(
    (await cli(['config', 'history', '/zkraw', '-o', 'json'])).stdout,
  );
  expect(history.items[0]).toMatchObject({
    action: 'raw',
    note: 'raw znode write',
  });
});
