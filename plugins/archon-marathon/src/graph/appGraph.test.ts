import type { MarathonAppInfo } from '../client/types';
import { appGraph } from './appGraph';

const sampledAt = '2026-01-01T00:00:00.000Z';
const base: MarathonAppInfo = {
  id: '/team/app',
  instances: 2,
  tasksRunning: 2,
  tasksHealthy: 0,
  tasksStaged: 0,
  tasksUnhealthy: 0,
};

describe('appGraph', () => {
  it('finds group ids by the end of the variable name only, and needs a Kafka cluster for topics and groups', () => {
    const app = {
      ...base,
      env: {
        CONSUMER_GROUP_ID: 'g1',
        GROUPID: 'no',
        GROUP_IDENTITY: 'no',
        KAFKA_INPUT_TOPICS: 'a b',
        KAFKA_TOPIC: 'ambiguous',
      },
    };
    const edges = appGraph('m', app, {
      kafkaCluster: 'k',
      sampledAt,
    }).edges.map(e => `${e.from} ${e.kind} ${e.to}`);
    expect(edges.sort()).toEqual([
      'app:m/team/app runs-on cluster:marathon/m',
      'group:k/g1 belongs-to app:m/team/app',
      'topic:k/a consumes-from app:m/team/app',
      'topic:k/b consumes-from app:m/team/app',
    ]);
    // No cluster configured and none in the env: nothing to place topics on.
    expect(appGraph('m', app, { sampledAt }).edges.map(e => e.kind)).toEqual([
      'runs-on',
    ]);
    // KAFKA_CLUSTER in the env wins over the default.
    expect(
      appGraph(
        'm',
        { ...app, env: { ...app.env, KAFKA_CLUSTER: 'other' } },
        { kafkaCluster: 'k', sampledAt },
      ).edges.map(e => e.from),
    ).toContain('topic:other/a');
  });

  it('declares the files and URLs of archon.writes.* / archon.reads.* (deployed as labels) on the app node', () => {
    const node = appGraph(
      'm',
      {
        ...base,
        labels: {
          ARCHON_CONFIG_PATH: '/team/app',
          ARCHON_RELEASE: 'rel-1',
          ARCHON_WRITES_FILES:
            '/data/in.txt, /data/../data/more.txt,relative.txt',
          ARCHON_READS_URLS: 'http://api.example.com/feed/',
        },
      },
      { sampledAt },
    ).nodes[0];
    const from = ' (deployed from /team/app, release rel-1)';
    expect(node.attributes?.endpoints).toEqual({
      writes: [
        {
          endpoint: 'file:/data/in.txt',
          declared: `label ARCHON_WRITES_FILES${from}`,
        },
        {
          endpoint: 'file:/data/more.txt',
          declared: `label ARCHON_WRITES_FILES${from}`,
        },
      ],
      reads: [
        {
          endpoint: 'http://api.example.com/feed',
          declared: `label ARCHON_READS_URLS${from}`,
        },
      ],
    });
    expect(
      appGraph('m', base, { sampledAt }).nodes[0].attributes,
    ).not.toHaveProperty('endpoints');
  });

  it('names routes by gateway (instance and HAPROXY group) and host and path, or the port without a vhost', () => {
    const app = {
      ...base,
      portDefinitions: [{ port: 10001 }, { port: 10002 }],
      labels: {
        HAPROXY_0_VHOST: 'a.example.com,b.example.com',
        HAPROXY_0_PATH: '-i /x /y',
        HAPROXY_1_GROUP: 'internal',
      },
    };
    const routes = appGraph('m', app, { sampledAt })
      .nodes.filter(n => n.kind === 'route')
      .map(n => n.id);
    expect(routes).toEqual([
      'route:m.any/a.example.com/x',
      'route:m.any/a.example.com/y',
      'route:m.any/b.example.com/x',
      'route:m.any/b.example.com/y',
      'route:m.internal/:10002',
    ]);
  });

  it('maps task counts to a state and a summary', () => {
    const status = (app: Partial<MarathonAppInfo>) =>
      appGraph('m', { ...base, ...app }, { sampledAt }).nodes[0].status;
    expect(status({})).toMatchObject({
      // No health checks: running, not verified healthy (the app state word).
      state: 'running',
      summary: 'running, 2/2 tasks running',
    });
    expect(status({ instances: 0, tasksRunning: 0 })).toMatchObject({
      state: 'stopped',
      summary: 'suspended, 0/0 tasks running',
    });
    expect(status({ tasksRunning: 1, tasksStaged: 1 })).toMatchObject({
      state: 'degraded',
      summary: 'degraded, 1/2 tasks running, 1 staged',
    });
    const checked = { healthChecks: [{ protocol: 'HTTP' }] };
    expect(status({ ...checked, tasksHealthy: 2 })).toMatchObject({
      state: 'healthy',
      summary: 'healthy, 2/2 tasks healthy',
    });
    expect(
      status({ ...checked, tasksHealthy: 1, tasksUnhealthy: 1 }),
    ).toMatchObject({ state: 'degraded' });
    expect(
      status({ ...checked, tasksHealthy: 0, tasksUnhealthy: 2 }),
    ).toMatchObject({
      state: 'failed',
      summary: 'degraded, 0/2 tasks healthy',
    });
    const failure = {
      taskId: 't1',
      state: 'TASK_FAILED',
      message: 'Command exited with status 3',
      host: 'h',
      appId: '/x',
      version: '2026-01-01T00:00:00.000Z',
    };
    expect(
      status({
        tasksRunning: 0,
        lastTaskFailure: { ...failure, timestamp: new Date().toISOString() },
      }),
    ).toMatchObject({
      state: 'failed',
      summary: 'crash-looping, 0/2 tasks running',
    });
    // A failure long past, or of an older version, is not a crash loop now.
    expect(
      status({
        tasksRunning: 1,
        lastTaskFailure: { ...failure, timestamp: '2020-01-01T00:00:00.000Z' },
      }),
    ).toMatchObject({ summary: 'degraded, 1/2 tasks running' });
    expect(status({ deployments: [{ id: 'd1' }] })).toMatchObject({
      state: 'degraded',
      summary: 'deploying, 2/2 tasks running',
    });
  });
});
