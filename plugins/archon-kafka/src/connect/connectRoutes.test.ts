import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend, waitFor } from '@archon/test-utils';
import request from 'supertest';
import { archonModuleKafka } from '../module';
import { testCluster, testPrefix } from '../__testUtils__/cluster';

jest.setTimeout(240_000);

/** The Connect routes against the local Kafka Connect 4.3.1 (FileStream connectors). */
describe('/api/archon/connect against the local Kafka Connect', () => {
  const prefix = testPrefix('croute');
  const topic = `${prefix}lines`;
  const source = `${prefix}file-source`;
  const sink = `${prefix}file-sink`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-connect-'));
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let connectUrl: string;

  beforeAll(async () => {
    const info = await testCluster();
    connectUrl = info.connect.url;
    const backend = await startArchonTestBackend({
      features: [archonPlugin, archonModuleKafka],
      cluster: info,
      zookeeper: false,
      kafka: true,
      archon: {
        kafkaConnect: {
          clusters: [
            { name: 'local', url: info.connect.url, kafkaCluster: 'local' },
            {
              name: 'down',
              url: 'http://127.0.0.1:1',
              requestTimeoutMs: 2000,
            },
          ],
        },
      },
    });
    server = backend.server;
    stop = () => backend.stop();
    fs.writeFileSync(input, 'alpha\nbeta\ngamma\n');
  });

  afterAll(async () => {
    if (server) {
      for (const name of [source, sink])
        await request(server).delete(
          `/api/archon/connect/local/connectors/${name}`,
        );
      await request(server).delete(
        `/api/archon/kafka/local/topics/${topic}?confirm=${topic}`,
      );
    }
    await stop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = (p: string) => `/api/archon/connect${p}`;

  it('shows the worker and its plugins; 400 for an unknown cluster, 503 for one that is down', async () => {
    const clusters = await request(server).get(api(''));
    expect(clusters.body.items).toContainEqual({
      name: 'local',
      url: expect.any(String),
      kafkaCluster: 'local',
    });
    const info = await request(server).get(api('/local'));
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      name: 'local',
      version: '4.3.1',
      kafkaCluster: 'local',
    });
    const plugins = await request(server).get(api('/local/plugins'));
    expect(plugins.body.items.map((p: { class: string }) => p.class)).toEqual(
      expect.arrayContaining([
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
      ]),
    );
    expect((await request(server).get(api('/nope/connectors'))).status).toBe(
      400,
    );
    const down = await request(server).get(api('/down/connectors'));
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(
      /unreachable at http:\/\/127\.0\.0\.1:1/,
    );
  });

  it("returns Connect's per-field errors for an invalid config", async () => {
    const invalid = await request(server)
      .post(api('/local/connectors'))
      .send({
        name: `${prefix}bad`,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'tasks.max': 'many',
          file: input,
        },
      });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.details.fields)).toEqual(
      expect.arrayContaining(['tasks.max', 'topic']),
    );
    expect(invalid.body.error.message).toMatch(/tasks\.max/);

    const unknownClass = await request(server)
      .post(api('/local/connectors'))
      .send({
        name: `${prefix}bad`,
        config: { 'connector.class': 'com.example.Nope' },
      });
    expect(unknownClass.status).toBe(400);
    const noClass = await request(server)
      .post(api('/local/connectors'))
      .send({ name: `${prefix}bad`, config: {} });
    expect(noClass.status).toBe(400);
    expect(
      (await request(server).get(api(`/local/connectors/${prefix}bad`))).status,
    ).toBe(404);
  });

  it('runs a FileStream source into a topic and a sink back out to a file', async () => {
    const created = await request(server)
      .post('/api/archon/kafka/local/topics')
      .send({ name: topic, partitions: 1, replicationFactor: 1 });
    expect(created.status).toBe(201);

    const src = await request(server)
      .post(api('/local/connectors'))
      .send({
        name: source,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'tasks.max': '1',
          file: input,
          topic,
          'archon.test.password': 'hunter2',
        },
      });
    expect(src.status).toBe(201);
    expect(src.body.config['archon.test.password']).toBe('********');
    expect(src.body.config.file).toBe(input);

    await waitFor(
      async () => {
        const c = await request(server).get(api(`/local/connectors/${source}`));
        return c.body.state === 'RUNNING' &&
          c.body.tasks[0]?.state === 'RUNNING'
          ? c.body
          : undefined;
      },
      90_000,
      'the source to run',
    );
    const messages = await waitFor(
      async () => {
        const m = await request(server).get(
          `/api/archon/kafka/local/topics/${topic}/messages?start=oldest&limit=10`,
        );
        return m.body.messages?.length === 3 ? m.body.messages : undefined;
      },
      90_000,
      'the lines in the topic',
    );
    expect(
      messages.map((m: { value: { text: string } }) =>
        JSON.parse(m.value.text),
      ),
    ).toEqual(['alpha', 'beta', 'gamma']);
    const active = await waitFor(
      async () => {
        const t = await request(server).get(
          api(`/local/connectors/${source}/topics`),
        );
        return t.body.topics?.length ? t.body : undefined;
      },
      90_000,
      'active topics',
    );
    expect(active).toEqual({ name: source, topics: [topic] });

    const snk = await request(server)
      .post(api('/local/connectors'))
      .send({
        name: sink,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSinkConnector',
          'tasks.max': '1',
          file: output,
          topics: topic,
        },
      });
    expect(snk.status).toBe(201);
    const written = await waitFor(
      async () => {
        const text = fs.existsSync(output)
          ? fs.readFileSync(output, 'utf8')
          : '';
        return text.split('\n').filter(Boolean).length >= 3 ? text : undefined;
      },
      90_000,
      'the sink file',
    );
    expect(written.split('\n').filter(Boolean)).toEqual([
      'alpha',
      'beta',
      'gamma',
    ]);

    const list = await request(server).get(
      api(`/local/connectors?filter=${prefix}`),
    );
    expect(list.body.items.map((c: { name: string }) => c.name).sort()).toEqual(
      [source, sink].sort(),
    );
    expect(
      list.body.items.find((c: { name: string }) => c.name === sink),
    ).toMatchObject({ type: 'sink', state: 'RUNNING', activeTopics: [topic] });
    // The list carries each connector's active topics (the Connect page's column).
    expect(
      list.body.items.find((c: { name: string }) => c.name === source),
    ).toMatchObject({ activeTopics: [topic] });

    // The topic's usage: both connectors.
    const usage = await request(server).get(
      `/api/archon/kafka/local/topics/${topic}/usage`,
    );
    expect(
      usage.body.connectors.map((c: { name: string }) => c.name).sort(),
    ).toEqual([source, sink].sort());
  });

  it('keeps masked secrets on update and drives the lifecycle', async () => {
    const current = await request(server).get(
      api(`/local/connectors/${source}`),
    );
    const updated = await request(server)
      .put(api(`/local/connectors/${source}/config`))
      .send({
        config: {
          ...current.body.config,
          'tasks.max': '1',
          'batch.size': '100',
        },
      });
    expect({
      status: updated.status,
      body: updated.status === 200 ? undefined : updated.body,
    }).toEqual({ status: 200 });
    expect(updated.body.config['archon.test.password']).toBe('********');
    const raw = await (
      await fetch(`${connectUrl}/connectors/${source}/config`)
    ).json();
    expect(raw['archon.test.password']).toBe('hunter2');
    expect(raw['batch.size']).toBe('100');

    const bad = await request(server)
      .put(api(`/local/connectors/${source}/config`))
      .send({ config: { ...current.body.config, 'tasks.max': 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields['tasks.max']).toBeDefined();

    expect(
      (await request(server).post(api(`/local/connectors/${source}/pause`)))
        .status,
    ).toBe(202);
    await waitFor(
      async () => {
        const c = await request(server).get(api(`/local/connectors/${source}`));
        return c.body.state === 'PAUSED' ? true : undefined;
      },
      90_000,
      'PAUSED',
    );
    expect(
      (await request(server).post(api(`/local/connectors/${source}/resume`)))
        .status,
    ).toBe(202);
    await waitFor(
      async () => {
        const c = await request(server).get(api(`/local/connectors/${source}`));
        return c.body.state === 'RUNNING' ? true : undefined;
      },
      90_000,
      'RUNNING',
    );
    const restart = await request(server).post(
      api(
        `/local/connectors/${source}/restart?includeTasks=true&onlyFailed=true`,
      ),
    );
    expect(restart.status).toBe(202);
    // Only accepted (Connect answers 202 with what it restarts): not yet restarted.
    expect(restart.body).toMatchObject({
      name: source,
      restarted: false,
      status: { name: source, connector: { state: expect.any(String) } },
    });
    // The connector alone: Connect restarts it before answering.
    const restarted = await request(server).post(
      api(`/local/connectors/${source}/restart`),
    );
    expect(restarted.status).toBe(202);
    expect(restarted.body).toEqual({
      name: source,
      restarted: true,
      status: null,
    });
    const tasks = await request(server).get(
      api(`/local/connectors/${source}/tasks`),
    );
    expect(tasks.body.items[0]).toMatchObject({ id: 0 });
    const taskRestart = await request(server).post(
      api(`/local/connectors/${source}/tasks/0/restart`),
    );
    expect(taskRestart.status).toBe(202);
    expect(taskRestart.body).toEqual({
      name: source,
      task: 0,
      restarted: true,
    });

    // Offsets (KIP-875): reading works any time, changing needs STOPPED.
    const offsets = await waitFor(
      async () => {
        const o = await request(server).get(
          api(`/local/connectors/${source}/offsets`),
        );
        return o.body.offsets?.length ? o.body : undefined;
      },
      90_000,
      'source offsets',
    );
    expect(offsets.offsets[0].partition).toEqual({ filename: input });
    const notStopped = await request(server).delete(
      api(`/local/connectors/${source}/offsets`),
    );
    expect(notStopped.status).toBe(409);
    expect(
      (await request(server).post(api(`/local/connectors/${source}/stop`)))
        .status,
    ).toBe(202);
    await waitFor(
      async () => {
        const c = await request(server).get(api(`/local/connectors/${source}`));
        return c.body.state === 'STOPPED' ? true : undefined;
      },
      90_000,
      'STOPPED',
    );
    const reset = await waitFor(
      async () => {
        const r = await request(server).delete(
          api(`/local/connectors/${source}/offsets`),
        );
        return r.status === 200 ? r.body : undefined;
      },
      90_000,
      'offsets reset',
    );
    expect(reset.message).toMatch(/reset/i);

    // Connect accepts a reset of the active topics and empties the set asynchronously.
    const topicsReset = await request(server).post(
      api(`/local/connectors/${source}/topics/reset`),
    );
    expect(topicsReset.status).toBe(202);
    expect(topicsReset.body).toEqual({
      name: source,
      requested: 'topics-reset',
    });
    await waitFor(
      async () => {
        const t = await request(server).get(
          api(`/local/connectors/${source}/topics`),
        );
        return t.body.topics?.length === 0 ? true : undefined;
      },
      90_000,
      'active topics emptied',
    );

    const deleted = await request(server).delete(
      api(`/local/connectors/${source}`),
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: source });
    expect(
      (await request(server).delete(api(`/local/connectors/${sink}`))).status,
    ).toBe(200);
    expect(
      (await request(server).get(api(`/local/connectors/${source}`))).status,
    ).toBe(404);
  });
});
