import fs from 'node:fs';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import {
  TEST_USER,
  startArchonScaffolderTestBackend,
  type ArchonScaffolderTestBackend,
} from './__testUtils__/archonScaffolderTestBackend';

jest.setTimeout(120_000);

// eslint-disable-next-line no-restricted-syntax -- the template ships in the repo's examples
const TEMPLATE_FILE = path.resolve(
  __dirname,
  '../../../examples/templates/new-streaming-app/template.yaml',
);

let backend: ArchonScaffolderTestBackend;

beforeAll(async () => {
  const template = parse(fs.readFileSync(TEMPLATE_FILE, 'utf8')) as Entity;
  template.metadata.namespace = 'default';
  backend = await startArchonScaffolderTestBackend('template', {
    scaffolderWithEntities: [template],
  });
});

afterAll(async () => {
  await backend?.stop();
});

function scaffolder(apiPath: string, init?: RequestInit) {
  return fetch(`${backend.url}/api/scaffolder${apiPath}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: mockCredentials.user.header(TEST_USER),
    },
  });
}

async function finishedTask(
  taskId: string,
): Promise<{ status: string; events: any[] }> {
  for (;;) {
    const task = (await (
      await scaffolder(`/v2/tasks/${taskId}`)
    ).json()) as any;
    if (task.status === 'completed' || task.status === 'failed') {
      const events = (await (
        await scaffolder(`/v2/tasks/${taskId}/events`)
      ).json()) as any[];
      return { status: task.status, events };
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function deleteTopic(name: string) {
  await backend.api(`/kafka/local/topics/${name}?confirm=${name}`, {
    method: 'DELETE',
  });
}

function logOf(task: { events: any[] }) {
  return task.events
    .filter(e => e.type === 'log')
    .map(e => e.body.message)
    .join('\n');
}

describe('template "New streaming app"', () => {
  it('runs form to running app in one scaffolder task: input topics, config in ZooKeeper, topic in Kafka, app in Marathon', async () => {
    const configPath = '/team-a/orders/streamer';
    const outputTopic = `${backend.ns.topicPrefix}enriched`;
    const existingInput = `${backend.ns.topicPrefix}raw`;
    const newInput = `${backend.ns.topicPrefix}more`;
    const existing = await backend.api('/kafka/local/topics', {
      method: 'POST',
      body: JSON.stringify({
        name: existingInput,
        partitions: 2,
        replicationFactor: 1,
      }),
    });
    expect(existing.status).toBe(201);
    // createMissingInputTopics is left out: its default (true) applies.
    const created = await scaffolder('/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/archon-new-streaming-app',
        values: {
          configPath,
          owner: 'group:default/team-a',
          kafkaCluster: 'local',
          inputTopics: [existingInput, newInput],
          outputTopic,
          outputPartitions: 2,
          writesFiles: '/data/team-a/orders.csv',
          runWith: 'command',
          command: `exec '${process.execPath}' -e "setInterval(() => {}, 1000)"`,
          instances: 1,
          target: 'local',
        },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    try {
      const task = await finishedTask(id);
      const log = logOf(task);
      // The task's log is the failure message, so a failing run says why.
      if (task.status !== 'completed')
        throw new Error(`task ${task.status}:\n${log}`);

      // Readable lines, not JSON blobs.
      expect(log).toContain(`topic ${existingInput} exists (2 partitions)`);
      expect(log).toContain(
        `created topic ${newInput} on local (1 partition, replication 1)`,
      );
      expect(log).toContain(
        `created topic ${outputTopic} on local (2 partitions, replication 1)`,
      );
      expect(log).toMatch(
        new RegExp(
          `deployed ${configPath} to marathon local: release \\S+, app ${configPath}`,
        ),
      );
      expect(log).not.toMatch(/\{"/);
      expect(
        (await backend.api(`/kafka/local/topics/${newInput}`)).status,
      ).toBe(200);

      const set = (await (
        await backend.api(`/config/sets${configPath}`)
      ).json()) as any;
      expect(set.properties).toEqual({
        'kafka.input.topics': `${backend.ns.topicPrefix}raw,${backend.ns.topicPrefix}more`,
        'kafka.output.topics': outputTopic,
        'kafka.group.id': 'archon.team-a.orders.streamer',
        'kafka.cluster': 'local',
        'marathon.instances': '1',
        'marathon.cmd': expect.stringContaining('setInterval'),
        'archon.owner': 'group:default/team-a',
        // Only the file field filled in is declared (readsFiles was left empty).
        'archon.writes.files': '/data/team-a/orders.csv',
      });
      const topic = (await (
        await backend.api(`/kafka/local/topics/${outputTopic}`)
      ).json()) as any;
      expect(topic.partitions).toHaveLength(2);
      const app = (await (
        await fetch(`${backend.marathon.url}/v2/apps/team-a/orders/streamer`)
      ).json()) as any;
      expect(app.app.tasksRunning).toBe(1);
      expect(app.app.labels.ARCHON_OWNER).toBe('group:default/team-a');
      expect(app.app.labels.ARCHON_WRITES_FILES).toBe(
        '/data/team-a/orders.csv',
      );

      // The scaffolder ran the actions as the user who started the task.
      const deploys = (await (
        await backend.api(`/deployments?configPath=${configPath}`)
      ).json()) as any;
      expect(deploys.items.map((d: any) => d.actor)).toEqual([TEST_USER]);

      const completion = task.events.find(e => e.type === 'completion');
      expect(completion.body.output.links).toEqual([
        {
          title: 'App in the catalog',
          icon: 'catalog',
          entityRef: 'component:default/local.team-a.orders.streamer',
        },
        {
          title: 'Deploy tab of the app',
          icon: 'dashboard',
          url: '/catalog/default/component/local.team-a.orders.streamer/deploy',
        },
        {
          title: 'Configuration in archon',
          url: `/archon/config?path=${configPath}`,
        },
        {
          title: expect.stringMatching(/^Release \S+$/),
          url: '/archon/marathon',
        },
      ]);
    } finally {
      await backend.api('/apps/destroy', {
        method: 'POST',
        body: JSON.stringify({
          configPath,
          instance: 'local',
          confirm: configPath,
          wait: true,
        }),
      });
      for (const topic of [outputTopic, existingInput, newInput])
        await deleteTopic(topic);
    }
  });

  it('with createMissingInputTopics off stops at a missing input topic, naming it, before writing anything', async () => {
    const configPath = '/team-a/orders/stopped';
    const missing = `${backend.ns.topicPrefix}absent`;
    const outputTopic = `${backend.ns.topicPrefix}stopped-out`;
    const created = await scaffolder('/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/archon-new-streaming-app',
        values: {
          configPath,
          owner: 'group:default/team-a',
          kafkaCluster: 'local',
          inputTopics: [missing],
          createMissingInputTopics: false,
          outputTopic,
          outputPartitions: 1,
          runWith: 'command',
          command: 'true',
          instances: 0,
          target: 'local',
        },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const task = await finishedTask(id);
    expect(task.status).toBe('failed');
    expect(logOf(task)).toContain(
      `input topic ${missing} does not exist on Kafka cluster "local" (createMissingInputTopics is off: create it first or turn it on)`,
    );
    expect((await backend.api(`/kafka/local/topics/${missing}`)).status).toBe(
      404,
    );
    expect((await backend.api(`/config/sets${configPath}`)).status).toBe(404);
  });
});
