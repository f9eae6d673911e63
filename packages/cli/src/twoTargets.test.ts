/**
 * The CLI with two deploy targets (#20): a real archon backend with the
 * Marathon module, its private local Marathon (`local`) and a second one
 * (`dr`). Without `--target` a deploy names both and the flag; the
 * context's default target is used when no flag or environment says; the
 * releases of each target are listed apart; an unknown cluster or target
 * names its flag and the configured names.
 */
import fs from 'node:fs';
import { startPrivateMarathon, type PrivateMarathon } from '@archon/test-utils';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliResult,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(240_000);

let backend: CliTestBackend;
let dr: PrivateMarathon;
let home: string;
const path = '/two/targets/app';

/** With ARCHON_URL unless `context` (then the current context's URL and defaults). */
const cli = (args: string[], options: { context?: boolean } = {}) =>
  runCli(args, {
    home,
    timeoutMs: 120_000,
    env: options.context ? {} : { ARCHON_URL: backend.url },
  });

function expectExit(r: CliResult, code: number) {
  if (r.code !== code)
    throw new Error(
      `exited ${r.code}, not ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
}

const json = async (args: string[], options: { context?: boolean } = {}) => {
  const r = await cli([...args, '-o', 'json'], options);
  expectExit(r, 0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  dr = await startPrivateMarathon({ deploymentTimeoutMs: 10_000 });
  backend = await startCliTestBackend('cli-two-targets', {
    marathon: { deploymentTimeoutMs: 10_000 },
    extraMarathonInstances: [
      { name: 'dr', url: dr.marathon.url, mesosAgentUrl: dr.marathon.url },
    ],
  });
  home = makeCliHome();
  expectExit(
    await cli([
      'config',
      'set',
      path,
      'marathon.cmd=sleep 600',
      'marathon.cpus=0.05',
      'marathon.mem=32',
      'marathon.taskKillGracePeriodSeconds=1',
    ]),
    0,
  );
});

afterAll(async () => {
  for (const target of ['local', 'dr']) {
    await cli(['apps', 'destroy', path, '--target', target, '--yes']);
  }
  await backend?.stop();
  await dr?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

it('asks for --target naming both targets, and takes the context default', async () => {
  const unchosen = await cli(['deploy', path, '--dry-run']);
  expectExit(unchosen, 2);
  expect(unchosen.stderr).toContain(
    'archon has 2 deploy targets (local, dr): choose one with --target or ARCHON_DEPLOY_TARGET',
  );

  // A context whose default target is dr: the deploy goes there.
  expectExit(
    await cli([
      'context',
      'add',
      'two',
      backend.url,
      '--target',
      'dr',
      '--use',
    ]),
    0,
  );
  const listed = await json(['context', 'ls']);
  expect(listed.contexts).toEqual([
    expect.objectContaining({ name: 'two', deployTarget: 'dr' }),
  ]);
  const onDr = await cli(['deploy', path], { context: true });
  expectExit(onDr, 0);
  expect(onDr.stdout).toMatch(/succeeded: \/two\/targets\/app on dr/);

  // The flag wins over the context.
  const onLocal = await cli(['deploy', path, '--target', 'local'], {
    context: true,
  });
  expectExit(onLocal, 0);
  expect(onLocal.stdout).toMatch(/succeeded: \/two\/targets\/app on local/);

  // Each target's releases apart: the context's (dr) or the flag's.
  const instancesOf = (list: { items: Array<{ target: any }> }) =>
    list.items.map(r => r.target.instance);
  expect(
    instancesOf(await json(['releases', path], { context: true })),
  ).toEqual(['dr']);
  expect(
    instancesOf(
      await json(['releases', path, '--target', 'local'], { context: true }),
    ),
  ).toEqual(['local']);

  // Pending changes against each target's own release.
  const [drRelease] = (await json(['releases', path], { context: true })).items;
  const [localRelease] = (
    await json(['releases', path, '--target', 'local'], { context: true })
  ).items;
  expectExit(await cli(['config', 'set', path, 'greeting=hi']), 0);
  for (const [target, release] of [
    ['dr', drRelease],
    ['local', localRelease],
  ]) {
    const pending = await json(['config', 'pending', path, '--target', target]);
    expect(pending).toMatchObject({
      latestRelease: release.id,
      diff: { added: [expect.objectContaining({ key: 'greeting' })] },
    });
  }

  // apps ls on the context's target only.
  const apps = await json(['apps', 'ls'], { context: true });
  expect(apps.items.map((a: { instance: string }) => a.instance)).toEqual([
    'dr',
  ]);

  // Without the context's default: every target's, newest first.
  expectExit(await cli(['context', 'rm', 'two']), 0);
  expect(instancesOf(await json(['releases', path]))).toEqual(['local', 'dr']);
  const all = await json(['apps', 'ls']);
  expect(all.items.map((a: { instance: string }) => a.instance)).toEqual([
    'local',
    'dr',
  ]);
});

it('an unknown target or cluster names the flag and the configured names', async () => {
  const target = await cli(['deploy', path, '--target', 'nope']);
  expectExit(target, 2);
  expect(target.stderr).toContain(
    'Unknown deploy target "nope"; configured: local, dr (choose one with --target)',
  );
  const apps = await cli(['apps', 'ls', '--target', 'nope']);
  expectExit(apps, 2);
  expect(apps.stderr).toContain(
    'Unknown Marathon instance "nope"; configured: local, dr (choose one with --target)',
  );
  const topics = await cli(['topics', 'ls', '--cluster', 'nope']);
  expectExit(topics, 2);
  expect(topics.stderr).toContain(
    'unknown Kafka cluster "nope"; configured: local (choose one with --cluster)',
  );
  const zk = await cli(['zk', 'ls', '/', '--ensemble', 'nope']);
  expectExit(zk, 2);
  expect(zk.stderr).toContain(
    'Unknown ZooKeeper ensemble "nope"; configured: local (choose one with --ensemble)',
  );
});
