import { removeTestNamespace, waitFor } from '@archon/test-utils';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(240_000);

/*
 * One pagination (#16): walks every list operation of the served spec (every
 * GET that takes the shared `cursor` parameter), seeds more items than one
 * page through the real services, and pages through them with `limit` and
 * `cursor`: each item exactly once, `nextCursor` absent on the last page;
 * `limit=1001`, a cursor archon did not give out and the retired `offset`
 * are 400s naming the parameter. A list operation without a case here fails
 * the first test, so a new list cannot skip the rule.
 */

const SEEDED = 5;
const LIMIT = 2;

let backend: CliTestBackend;
let home: string;
const cleanups: Array<() => Promise<unknown>> = [];

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${backend.url}/api/archon${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function ok(method: string, path: string, body?: unknown) {
  const res = await call(method, path, body);
  if (res.status >= 300)
    throw new Error(
      `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  return res.body;
}

interface ListCase {
  /** The list URL with a filter that selects only what the case seeds (no paging parameters). */
  url(): string;
  idOf(item: any): string;
  /** Seeds more than one page through the real services; the ids the list must give. */
  seed(): Promise<string[]>;
}

const names = (what: string) =>
  Array.from(
    { length: SEEDED },
    (_, i) => `${backend.ns.topicPrefix}${what}-${i}`,
  );

const CASES: Record<string, ListCase> = {
  KafkaListTopics: {
    url: () => `/kafka/local/topics?filter=${backend.ns.topicPrefix}pt-`,
    idOf: t => t.name,
    async seed() {
      const topics = names('pt');
      for (const name of topics) {
        await ok('POST', '/kafka/local/topics', {
          name,
          partitions: 1,
          replicationFactor: 1,
        });
      }
      return topics;
    },
  },
  KafkaListConsumerGroups: {
    url: () =>
      `/kafka/local/consumer-groups?filter=${backend.ns.groupPrefix}pg-`,
    idOf: g => g.groupId,
    async seed() {
      const topic = `${backend.ns.topicPrefix}pg-source`;
      await ok('POST', '/kafka/local/topics', {
        name: topic,
        partitions: 1,
        replicationFactor: 1,
      });
      const groups = Array.from(
        { length: SEEDED },
        (_, i) => `${backend.ns.groupPrefix}pg-${i}`,
      );
      // A reset that names a topic gives a new group committed offsets, so Kafka lists it.
      for (const group of groups) {
        await ok('POST', `/kafka/local/consumer-groups/${group}/offsets`, {
          to: 'earliest',
          topics: [topic],
        });
      }
      return groups;
    },
  },
  ConnectListConnectors: {
    url: () => `/connect/local/connectors?filter=${backend.ns.topicPrefix}pc-`,
    idOf: c => c.name,
    async seed() {
      const connectors = names('pc');
      for (const name of connectors) {
        await ok('POST', '/connect/local/connectors', {
          name,
          config: {
            'connector.class':
              'org.apache.kafka.connect.file.FileStreamSourceConnector',
            'tasks.max': '1',
            file: `/tmp/${name}.txt`,
            topic: `${backend.ns.topicPrefix}pc-out`,
          },
        });
      }
      return connectors;
    },
  },
  ListAuditEntries: {
    // Every mutation is audited: the entries of five topic creations.
    url: () => `/audit?system=kafka&target=${backend.ns.topicPrefix}pa-`,
    idOf: e => e.target.resource,
    async seed() {
      const topics = names('pa');
      for (const name of topics) {
        await ok('POST', '/kafka/local/topics', {
          name,
          partitions: 1,
          replicationFactor: 1,
        });
      }
      return topics;
    },
  },
  GetConfigHistory: {
    // Every write through archon to a level is one entry; each names the version it wrote.
    url: () => '/config/history/paging%2Fhistory',
    idOf: e => `v${e.version}`,
    async seed() {
      const versions: string[] = [];
      for (let i = 0; i < SEEDED; i++) {
        const written = await ok('PUT', '/config/sets/paging%2Fhistory', {
          properties: { n: String(i) },
        });
        versions.push(`v${written.version}`);
      }
      return versions;
    },
  },
  GetAuditTimeline: {
    // One app's changes across systems: five writes to its own level.
    url: () => '/audit/timeline?configPath=/paging/timeline',
    idOf: item =>
      `n=${item.changes.find((c: { key: string }) => c.key === 'n')?.after}`,
    async seed() {
      const ids: string[] = [];
      for (let i = 0; i < SEEDED; i++) {
        await ok('PUT', '/config/sets/paging%2Ftimeline', {
          properties: { n: String(i) },
        });
        ids.push(`n=${i}`);
      }
      return ids;
    },
  },
  GatewayListRoutes: {
    // marathon-lb routes from the labels of five apps on the backend's own local Marathon.
    url: () => '/gateway/routes?instance=local',
    idOf: r => r.appId,
    async seed() {
      const ids = Array.from(
        { length: SEEDED },
        (_, i) => `/paging/routed-${i}`,
      );
      for (const [i, id] of ids.entries()) {
        const res = await fetch(`${backend.marathon!.url}/v2/apps`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id,
            cmd: 'sleep 600',
            instances: 0,
            cpus: 0.1,
            mem: 16,
            portDefinitions: [{ port: 0, name: 'http' }],
            labels: {
              HAPROXY_GROUP: 'external',
              HAPROXY_0_VHOST: `routed-${i}.example.com`,
            },
          }),
        });
        if (res.status !== 201)
          throw new Error(
            `Marathon refused ${id}: ${res.status} ${await res.text()}`,
          );
      }
      return ids;
    },
  },
  MarathonListTasks: {
    // Five running tasks of one app on the backend's own local Marathon (real `sleep` processes).
    url: () => '/marathon/local/apps/paging%2Ftasked/tasks',
    idOf: t => t.id,
    async seed() {
      const res = await fetch(`${backend.marathon!.url}/v2/apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: '/paging/tasked',
          cmd: 'sleep 600',
          instances: SEEDED,
          cpus: 0.01,
          mem: 8,
        }),
      });
      if (res.status !== 201)
        throw new Error(
          `Marathon refused the app: ${res.status} ${await res.text()}`,
        );
      cleanups.push(() =>
        fetch(`${backend.marathon!.url}/v2/apps/paging/tasked?force=true`, {
          method: 'DELETE',
        }),
      );
      const tasks = await waitFor(
        async () => {
          const listed = await (
            await fetch(`${backend.marathon!.url}/v2/apps/paging/tasked/tasks`)
          ).json();
          return listed.tasks?.length === SEEDED
            ? (listed.tasks as Array<{ id: string }>)
            : undefined;
        },
        60_000,
        `${SEEDED} tasks of /paging/tasked`,
      );
      return tasks.map(t => t.id);
    },
  },
  ListReleases: {
    // Each deploy through archon leaves a release: five deploys of a level to the local Marathon (no instances to wait for).
    url: () => '/releases?path=/paging/released',
    idOf: r => r.id,
    async seed() {
      const ids: string[] = [];
      for (let i = 0; i < SEEDED; i++) {
        await ok('PUT', '/config/sets/paging%2Freleased', {
          properties: {
            'marathon.cmd': 'sleep 600',
            'marathon.instances': '0',
            'marathon.cpus': '0.1',
            'marathon.mem': '16',
            n: String(i),
          },
        });
        const flow = await ok('POST', '/deployments', {
          configPath: '/paging/released',
          instance: 'local',
          wait: true,
        });
        if (flow.status !== 'succeeded' || !flow.releaseId)
          throw new Error(`deploy ${i}: ${JSON.stringify(flow)}`);
        ids.push(flow.releaseId);
      }
      return ids;
    },
  },
  ListDeployments: {
    // Five deploys of one level to the local Marathon (no instances to wait for), each a flow.
    url: () => '/deployments?configPath=/paging/deployed',
    idOf: f => f.id,
    async seed() {
      const ids: string[] = [];
      for (let i = 0; i < SEEDED; i++) {
        await ok('PUT', '/config/sets/paging%2Fdeployed', {
          properties: {
            'marathon.cmd': 'sleep 600',
            'marathon.instances': '0',
            'marathon.cpus': '0.1',
            'marathon.mem': '16',
            n: String(i),
          },
        });
        const flow = await ok('POST', '/deployments', {
          configPath: '/paging/deployed',
          instance: 'local',
          wait: true,
        });
        ids.push(flow.id);
      }
      return ids;
    },
  },
  SearchGraph: {
    // Topics reach the graph at the Kafka contributor's next refresh (every 2 s here).
    url: () => `/graph/search?kinds=topic&q=${backend.ns.topicPrefix}pgr-`,
    idOf: n => n.name,
    async seed() {
      const topics = names('pgr');
      for (const name of topics) {
        await ok('POST', '/kafka/local/topics', {
          name,
          partitions: 1,
          replicationFactor: 1,
        });
      }
      return topics;
    },
  },
  ZooKeeperListChildren: {
    url: () =>
      `/zookeeper/local/children/${encodeURIComponent(
        `${backend.ns.zkRoot}/paging`,
      )}`,
    idOf: c => c.name,
    async seed() {
      const children = Array.from({ length: SEEDED }, (_, i) => `child-${i}`);
      for (const name of children) {
        const path = encodeURIComponent(`${backend.ns.zkRoot}/paging/${name}`);
        await ok('POST', `/zookeeper/local/znodes/${path}`, {
          createParents: true,
        });
      }
      return children;
    },
  },
  MarathonListApps: {
    // The backend's own local Marathon; the label tells these apps from the one the release case deploys.
    url: () => '/marathon/local/apps?label=PAGING_TEST==apps',
    idOf: a => a.id,
    async seed() {
      const ids = Array.from({ length: SEEDED }, (_, i) => `/paging/app-${i}`);
      for (const id of ids) {
        const res = await fetch(`${backend.marathon!.url}/v2/apps`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id,
            cmd: 'sleep 600',
            instances: 0,
            cpus: 0.1,
            mem: 16,
            labels: { PAGING_TEST: 'apps' },
          }),
        });
        if (res.status !== 201)
          throw new Error(
            `Marathon refused ${id}: ${res.status} ${await res.text()}`,
          );
      }
      return ids;
    },
  },
};

const withQuery = (url: string, query: string) =>
  `${url}${url.includes('?') ? '&' : '?'}${query}`;

/** Follows nextCursor from the first page: the ids of each page. */
async function walk(
  c: ListCase,
): Promise<{ pages: string[][]; totals: unknown[] }> {
  const pages: string[][] = [];
  const totals: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      'GET',
      withQuery(
        c.url(),
        `limit=${LIMIT}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
      ),
    );
    expect(page.items.length).toBeLessThanOrEqual(LIMIT);
    pages.push(page.items.map(c.idOf));
    totals.push(page.total);
    cursor = page.nextCursor;
    if (pages.length > SEEDED + 1)
      throw new Error(`${c.url()} never ends: ${JSON.stringify(pages)}`);
  } while (cursor);
  return { pages, totals };
}

beforeAll(async () => {
  backend = await startCliTestBackend('list-paging', {
    marathon: { deploymentTimeoutMs: 30_000 },
    kafkaGraphRefreshSeconds: 2,
  });
  home = makeCliHome();
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  await backend?.stop();
  // The shared cluster (and the portal's graph) keeps nothing of this file.
  if (backend) await removeTestNamespace(backend.ns, backend.cluster);
});

it('has a case for every list operation of the served spec', async () => {
  const spec = await ok('GET', '/openapi.json');
  const lists = Object.values(spec.paths as Record<string, Record<string, any>>)
    .map(item => item.get)
    .filter(get =>
      get?.parameters?.some(
        (p: { $ref?: string }) => p.$ref === '#/components/parameters/Cursor',
      ),
    )
    .map(get => get.operationId as string);
  expect(lists.sort()).toEqual(Object.keys(CASES).sort());
  // One maximum for every list.
  expect(spec.components.parameters.Limit.schema).toEqual({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
  });
});

describe.each(Object.entries(CASES))('%s', (_operationId, c) => {
  let seeded: string[];

  beforeAll(async () => {
    seeded = await c.seed();
  });

  it('pages through more than one page with limit and cursor, each item exactly once', async () => {
    // Kafka and Connect list what they were given a moment later: wait for all of it.
    await waitFor(
      async () => (await ok('GET', c.url())).items.length === SEEDED,
      60_000,
      `${SEEDED} items in ${c.url()}`,
    );
    const { pages, totals } = await walk(c);
    const ids = pages.flat();
    expect(pages).toHaveLength(Math.ceil(SEEDED / LIMIT));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...seeded].sort());
    for (const total of totals)
      expect(total === undefined || total === SEEDED).toBe(true);
  });

  it('answers limit above 1000, a cursor it did not give out and the retired offset with 400s naming the parameter', async () => {
    const tooMany = await call('GET', withQuery(c.url(), 'limit=1001'));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/limit/);
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('["x"]').toString('base64url'),
    ]) {
      const bad = await call('GET', withQuery(c.url(), `cursor=${cursor}`));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^"cursor" must be the nextCursor of an earlier page/,
      );
    }
    const offset = await call('GET', withQuery(c.url(), 'offset=2'));
    expect(offset.status).toBe(400);
    expect(offset.body.error.message).toMatch(
      /^"offset" is no longer a paging parameter: page with "cursor"/,
    );
  });
});

describe('the CLI', () => {
  const cli = (args: string[]) =>
    runCli(args, { home, env: { ARCHON_URL: backend.url } });

  it('shows one page with how to get the next, and every page with --all', async () => {
    const filter = `${backend.ns.topicPrefix}pt-`;
    const one = await cli(['topics', 'ls', '--filter', filter, '--limit', '2']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /2 of 5 shown; next page with --cursor \S+, or every page with --all/,
    );
    const all = await cli([
      'topics',
      'ls',
      '--filter',
      filter,
      '--limit',
      '2',
      '--all',
      '-o',
      'json',
    ]);
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout);
    expect(listed.items.map((t: { name: string }) => t.name)).toEqual(
      names('pt'),
    );
    expect(listed.nextCursor).toBeUndefined();
  });

  // The five deploys the API cases above made (releases and deploy flows).
  it.each([
    ['releases', ['releases', 'ls', '/paging/released']],
    ['deployments', ['deployments', 'ls', '--path', '/paging/deployed']],
  ])('pages %s with --limit and reads them all with --all', async (_, args) => {
    const one = await cli([...args, '--limit', '2']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /2 shown; next page with --cursor \S+, or every page with --all/,
    );
    const all = await cli([...args, '--limit', '2', '--all', '-o', 'json']);
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout);
    expect(listed.items).toHaveLength(5);
    expect(new Set(listed.items.map((i: { id: string }) => i.id)).size).toBe(5);
    expect(listed.nextCursor).toBeUndefined();
  });

  it('refuses --limit above 1000 naming the flag', async () => {
    const refused = await cli(['connectors', 'ls', '--limit', '1001']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--limit must be at most 1000');
  });
});
