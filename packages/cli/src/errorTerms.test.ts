import fs from 'node:fs';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

/**
 * A bad flag value that only the API rejects: the CLI's message names the
 * flag the user typed, never the API's field (`request/query/kinds/0`,
 * `expectedVersion`), and exits 2 (usage) — or 4 for a stale version, which
 * is a conflict. One case per command family, against a real backend on the
 * real local cluster.
 */
let backend: CliTestBackend;
let home: string;

const cli = (args: string[]) =>
  runCli(args, { home, env: { ARCHON_URL: backend.url } });

/** The failure names `flag`, not the API's words for it. */
async function expectFlagError(
  args: string[],
  flag: string,
  api: RegExp,
  code = 2,
) {
  const r = await cli(args);
  expect(r).toEqual({
    code,
    stdout: '',
    stderr: expect.stringMatching(/^error: /),
  });
  expect(r.stderr).toContain(flag);
  expect(r.stderr).not.toMatch(api);
  expect(r.stderr).not.toMatch(/request\/(query|body|params)\//);
  return r.stderr;
}

beforeAll(async () => {
  backend = await startCliTestBackend('cli-terms');
  home = makeCliHome();
});

afterAll(async () => {
  await backend?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('CLI error messages name flags, not API fields', () => {
  it('health: --kind', async () => {
    const stderr = await expectFlagError(
      ['health', '--kind', 'bogus'],
      '--kind',
      /"kind"/,
    );
    expect(stderr).toContain('"bogus" is not a kind of system archon checks');
  });

  it('graph: --kind', async () => {
    const stderr = await expectFlagError(
      ['graph', '--kind', 'bogus', '-o', 'json'],
      '--kind',
      /\bkinds\b/,
    );
    expect(stderr).toContain('must be equal to one of the allowed values');
  });

  it('topics: --regex', async () => {
    await expectFlagError(
      ['topics', 'ls', '--regex', 'a[b'],
      '--regex',
      /(?<!--)\bregex is\b/,
    );
  });

  it('consumer-groups: --history (the API calls it minutes)', async () => {
    await expectFlagError(
      [
        'consumer-groups',
        'lag',
        `${backend.ns.groupPrefix}none`,
        '--history',
        '99999',
      ],
      '--history must be <= 43200',
      /\bminutes\b/,
    );
  });

  it('messages: --limit', async () => {
    await expectFlagError(
      ['messages', 'read', `${backend.ns.topicPrefix}none`, '--limit', '99999'],
      '--limit must be <= ',
      /(?<!--)\blimit must\b/,
    );
  });

  it('zookeeper: --max (the API calls it maxResults), and a stale --expected-version (exit 4)', async () => {
    await expectFlagError(
      ['zookeeper', 'find', 'x', '--max', '5000'],
      '--max must be <= 1000',
      /maxResults/,
    );
    const node = `${backend.ns.zkRoot}/terms`;
    expect((await cli(['zookeeper', 'create', node, 'a', '-p'])).code).toBe(0);
    const stale = await expectFlagError(
      ['zookeeper', 'set', node, 'b', '--expected-version', '3'],
      '--expected-version',
      /expectedVersion/,
      4,
    );
    expect(stale).toContain('is now at version 0');
    expect((await cli(['zookeeper', 'rm', node, '--yes'])).code).toBe(0);
  });

  it('config: --depth, and a stale --expected-version (exit 4)', async () => {
    await expectFlagError(
      ['config', 'tree', '/', '--depth', '99999'],
      '--depth must be <= ',
      /(?<!--)\bdepth must\b/,
    );
    const stale = await expectFlagError(
      ['config', 'set', '/terms/none', 'a=1', '--expected-version', '99'],
      'without --expected-version',
      /expectedVersion/,
      4,
    );
    expect(stale).toContain('no longer exists');
  });

  it('connectors: the <name> argument', async () => {
    await expectFlagError(
      ['connectors', 'status', 'x'.repeat(300)],
      '<name> must NOT have more than 255 characters',
      /params\/name/,
    );
  });

  it('apps: --path (the API calls it configPath)', async () => {
    await expectFlagError(
      ['apps', 'ls', '--target', 'local', '--path', 'bad path'],
      'The query parameter --path: Invalid configuration path',
      /configPath/,
    );
  });

  it('deploy: --timeout (the API calls it timeoutSeconds)', async () => {
    await expectFlagError(
      [
        'deploy',
        '/terms/svc',
        '--target',
        'local',
        '--timeout',
        '999999',
        '--dry-run',
      ],
      '--timeout must be <= 86400',
      /timeoutSeconds/,
    );
  });
});
