import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import {
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import { makeCliHome, runCli } from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

/**
 * The CLI's streams while Marathon is frozen (#22), against a real archon
 * backend and a private local Marathon: `archon deploy` (following the
 * progress) and `archon apps events` end within the deadline + 2 s with
 * exit 6 and archon's message on stderr (the deploy's outcome unknown, and
 * how to check it); `deployments watch` of that deploy exits 6 at once while
 * Marathon stays silent.
 */
const DEADLINE_S = 3;

let cluster: PrivateCluster;
let backend: ArchonTestBackend;
let url: string;
let home: string;

const cli = (args: string[]) =>
  runCli(args, { home, env: { ARCHON_URL: url }, timeoutMs: 120_000 });

async function api(path: string) {
  const res = await fetch(`${url}/api/archon${path}`);
  return (await res.json()) as any;
}

/** Polls until `ok` answers truthy, or `ms` have passed. */
async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms: number,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if ((value !== undefined && ok(value)) || Date.now() > deadline)
      return value;
    await new Promise(r => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['marathon'], { label: 'cli-streams' });
  backend = await startArchonTestBackend({
    label: 'cli-streams',
    features: [archonPlugin, archonModuleMarathon],
    archon: {
      marathon: {
        requestTimeoutSeconds: DEADLINE_S,
        instances: [
          {
            name: 'private',
            url: cluster.info.marathon!.url,
            mesosAgentUrl: cluster.info.marathon!.url,
          },
        ],
      },
    },
  });
  url = backend.url;
  home = makeCliHome();
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('deploy and apps events exit 6 within the deadline when Marathon freezes, saying the outcome is unknown', async () => {
  const path = '/streams/svc';
  // A task that runs but never turns healthy: the deploy is still under way when Marathon freezes.
  const set = await cli([
    'config',
    'set',
    path,
    `marathon.cmd=exec '${process.execPath}' -e "require('http').createServer((q,s)=>{s.statusCode=503;s.end()}).listen(Number(process.env.PORT0),'127.0.0.1')"`,
    'marathon.cpus=0.01',
    'marathon.mem=32',
    'marathon.ports=http',
    'marathon.healthCheck.path=/health',
    'marathon.healthCheck.gracePeriodSeconds=1',
    'marathon.healthCheck.intervalSeconds=1',
    'marathon.healthCheck.maxConsecutiveFailures=1000',
  ]);
  expect(set.code).toBe(0);

  const deploy = cli([
    'deploy',
    path,
    '--target',
    'private',
    '--timeout',
    '300',
  ]);
  const running = await until(
    () => api(`/deployments?configPath=${encodeURIComponent(path)}`),
    list =>
      list.items?.[0]?.status === 'running' &&
      list.items[0].ref?.deploymentId !== undefined,
    60_000,
  );
  const id = running.items[0].id as string;
  // The app exists now: follow its events too.
  const events = cli(['apps', 'events', path, '--target', 'private']);
  const attached = await until(
    () => api(`/deployments/${id}`),
    flow =>
      (flow.progress ?? []).some((e: { message: string }) =>
        /TASK_RUNNING/.test(e.message),
      ),
    60_000,
  );
  expect(attached.status).toBe('running');
  // `apps events` may still be starting when Marathon freezes: whether its
  // lookup or its stream meets the frozen Marathon, it must end the same way.

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  try {
    const [deployed, followed] = await Promise.all(
      [deploy, events].map(p =>
        p.then(r => ({ ...r, ms: Date.now() - frozenAt })),
      ),
    );
    expect({ code: deployed.code, stderr: deployed.stderr }).toEqual({
      code: 6,
      stderr: expect.stringMatching(
        new RegExp(
          `Marathon instance "private".*stopped answering.*outcome of deploy ${id} is unknown.*GET /api/archon/deployments/${id}`,
        ),
      ),
    });
    expect(deployed.ms).toBeLessThanOrEqual((DEADLINE_S + 2) * 1000);
    expect({ code: followed.code, stderr: followed.stderr }).toEqual({
      code: 6,
      stderr: expect.stringMatching(/Marathon instance "private"/),
    });
    expect(followed.ms).toBeLessThanOrEqual((DEADLINE_S + 2) * 1000);

    // While Marathon stays silent, watching the deploy says so at once.
    const watched = await cli(['deployments', 'watch', id]);
    expect(watched.code).toBe(6);
    expect(watched.stderr).toMatch(/is unknown/);
  } finally {
    await cluster.thaw('marathon');
  }
  await fetch(`${url}/api/archon/deployments/${id}/cancel`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
});
