import { Kafka, logLevel, type Consumer } from 'kafkajs';
import request from 'supertest';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import {
  startArchonTestBackend,
  waitFor,
  type ArchonTestBackend,
} from '@archon/test-utils';
import { archonModuleKafka } from '../module';
import { groupMemberCommand } from '../__testUtils__/groupMemberApp';

jest.setTimeout(240_000);

/**
 * The coordinated offset reset end to end: archon's backend with the Kafka
 * and Marathon modules, the real local Kafka, and a private local Marathon
 * running a real kafkajs consumer (deployed from its configuration path,
 * declaring its group with `kafka.group.id`) that holds the group and never
 * commits, so the committed offsets are exactly what archon sets.
 */
describe('coordinated consumer-group offset reset', () => {
  let h: ArchonTestBackend;
  /** Permission names the policy denies from now on (empty: everything allowed). */
  const denied = new Set<string>();
  let fixture: Kafka;
  let outsider: Consumer | undefined;
  const configPath = '/coord/member';
  let topic: string;
  let group: string;

  const api = (p: string) => `/api/archon${p}`;
  const offsetsUrl = () => api(`/kafka/local/consumer-groups/${group}/offsets`);
  const committed = async () => {
    const res = await request(h.server).get(offsetsUrl());
    return Object.fromEntries(
      (
        res.body.partitions as Array<{
          partition: number;
          committedOffset: number | null;
        }>
      ).map(p => [p.partition, p.committedOffset]),
    );
  };
  const groupState = async () =>
    (await request(h.server).get(api(`/kafka/local/consumer-groups/${group}`)))
      .body;
  const appStatus = async () =>
    (
      await request(h.server)
        .get(api('/apps/status'))
        .query({ configPath, instance: 'local' })
    ).body;
  const auditRows = async (action: string) =>
    (await request(h.server).get(api('/audit')).query({ action, limit: 20 }))
      .body.items as Array<Record<string, any>>;

  beforeAll(async () => {
    // archon's backend with this module and the Marathon module, against the
    // shared local ZooKeeper (a private root) and Kafka, and a local
    // Marathon-compatible server of its own whose apps run as real processes
    // (and stop with it).
    h = await startArchonTestBackend({
      label: 'coord',
      features: [archonPlugin, archonModuleKafka, archonModuleMarathon],
      kafka: {
        graph: { refreshIntervalSeconds: 2 },
        coordinatedReset: { waitTimeoutSeconds: 30 },
      },
      marathon: { deploymentTimeoutMs: 60_000, taskKillGraceMs: 2000 },
      deny: ({ permission }) => denied.has(permission),
    });
    topic = `${h.ns.topicPrefix}in`;
    group = `${h.ns.groupPrefix}member`;
    fixture = new Kafka({
      clientId: 'archon-coord-fixture',
      brokers: h.cluster.kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const admin = fixture.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 2 }],
    });
    const producer = fixture.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [0, 1].flatMap(partition =>
        [0, 1, 2, 3, 4].map(i => ({ partition, value: `m${i}` })),
      ),
    });
    await producer.disconnect();
    // The group starts caught up: 5 of 5 on both partitions.
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: [
        { partition: 0, offset: '5' },
        { partition: 1, offset: '5' },
      ],
    });
    await admin.disconnect();

    const put = await request(h.server)
      .put(api(`/config/sets${configPath}`))
      .send({
        properties: {
          'marathon.cmd': groupMemberCommand,
          'marathon.cpus': '0.1',
          'marathon.mem': '128',
          'marathon.taskKillGracePeriodSeconds': '2',
          'marathon.upgrade.minimumHealthCapacity': '0',
          'kafka.brokers': h.cluster.kafka.brokers.join(','),
          'kafka.input.topics': topic,
          'kafka.group.id': group,
        },
      });
    if (put.status !== 200)
      throw new Error(
        `writing ${configPath} failed: ${JSON.stringify(put.body)}`,
      );
    const deployed = await request(h.server)
      .post(api('/deployments'))
      .send({ configPath, instance: 'local', wait: true });
    if (deployed.body.status !== 'succeeded')
      throw new Error(
        `deploying ${configPath} failed: ${JSON.stringify(deployed.body)}`,
      );
    await waitFor(
      async () => {
        const g = await groupState();
        return g.state === 'Stable' && g.members.length === 1;
      },
      90_000,
      'the app to join the group',
    );
  });

  afterAll(async () => {
    await outsider?.disconnect().catch(() => undefined);
    if (fixture) {
      const admin = fixture.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
    await h?.stop();
    if (fixture) {
      const admin = fixture.admin();
      await admin.connect();
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('refuses a plain reset while the app holds the group, pointing at the coordinated one', async () => {
    const res = await request(h.server)
      .post(offsetsUrl())
      .send({ to: 'offset', offset: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('"coordinated": true');
    expect(await committed()).toEqual({ 0: 5, 1: 5 });
  });

  it('refuses a coordinated reset of a group no deployed app declares, saying so', async () => {
    const res = await request(h.server)
      .post(
        api(`/kafka/local/consumer-groups/${h.ns.groupPrefix}nobody/offsets`),
      )
      .send({
        to: 'earliest',
        topics: [topic],
        coordinated: true,
        dryRun: true,
      });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('no deployed app declares it');
  });

  it('previews the owning app, the new offsets and the resulting lag, changing nothing', async () => {
    const res = await request(h.server)
      .post(offsetsUrl())
      .send({ to: 'offset', offset: 2, coordinated: true, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      groupId: group,
      dryRun: true,
      applied: false,
      coordinated: true,
      canApply: true,
      reason: null,
      app: {
        instance: 'local',
        configPath,
        workloadId: configPath,
        instances: 1,
      },
      totalLagBefore: 0,
      totalLagAfter: 6,
    });
    expect(
      res.body.partitions.map((p: any) => [
        p.partition,
        p.currentOffset,
        p.newOffset,
        p.lagAfter,
      ]),
    ).toEqual([
      [0, 5, 2, 3],
      [1, 5, 2, 3],
    ]);
    expect(await committed()).toEqual({ 0: 5, 1: 5 });
    expect((await appStatus()).instances).toBe(1);
  });

  it('answers 403 naming the missing permission before suspending anything', async () => {
    for (const permission of ['archon.kafka.group.reset', 'archon.app.scale']) {
      denied.clear();
      denied.add(permission);
      const res = await request(h.server)
        .post(offsetsUrl())
        .send({ to: 'offset', offset: 2, coordinated: true });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(`"${permission}"`);
    }
    denied.clear();
    expect((await appStatus()).instances).toBe(1);
    expect((await groupState()).members).toHaveLength(1);
    expect(await committed()).toEqual({ 0: 5, 1: 5 });
  });

  it('suspends the app, resets, and restores its instances, as one audited operation', async () => {
    const res = await request(h.server)
      .post(offsetsUrl())
      .send({ to: 'offset', offset: 2, coordinated: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      applied: true,
      coordinated: true,
      restored: true,
      app: { instance: 'local', configPath, instances: 1 },
      totalLagAfter: 6,
    });
    expect(res.body.steps.map((s: any) => `${s.step} ${s.result}`)).toEqual([
      'suspend succeeded',
      'wait succeeded',
      'reset succeeded',
      'restore succeeded',
    ]);

    // The end state: one instance again, back in the group, at the requested offsets.
    await waitFor(
      async () => {
        const s = await appStatus();
        return s.instances === 1 && s.running === 1;
      },
      90_000,
      'the app to run again',
    );
    await waitFor(
      async () => {
        const g = await groupState();
        return g.state === 'Stable' && g.members.length === 1;
      },
      90_000,
      'the app to rejoin the group',
    );
    expect(await committed()).toEqual({ 0: 2, 1: 2 });

    const [entry] = await auditRows('group-offsets-coordinated-reset');
    expect(entry).toMatchObject({
      outcome: 'success',
      target: { system: 'kafka', cluster: 'local', resource: group },
      before: {
        offsets: { [`${topic}/0`]: 5, [`${topic}/1`]: 5 },
        app: { configPath, instances: 1 },
      },
      after: {
        offsets: { [`${topic}/0`]: 2, [`${topic}/1`]: 2 },
        changed: [`${topic}/0: 5 → 2`, `${topic}/1: 5 → 2`],
        restored: true,
      },
      meta: { configPath, instance: 'local' },
    });
    // The deploy flow's own entries for the suspend and the restore.
    expect(
      (await auditRows('app-suspend')).filter(
        r => r.target.configPath === configPath,
      ),
    ).toHaveLength(1);
    expect((await auditRows('app-scale'))[0]).toMatchObject({
      outcome: 'success',
      target: { configPath },
      meta: { instances: 1 },
    });
  });

  it('restores the instances when the group does not empty in time, and resets nothing', async () => {
    // A consumer outside the app keeps the group busy after the app is suspended.
    outsider = fixture.consumer({
      groupId: group,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    await outsider.connect();
    await outsider.subscribe({ topics: [topic] });
    await outsider.run({
      autoCommit: false,
      eachMessage: async () => undefined,
    });
    await waitFor(
      async () => {
        const g = await groupState();
        return g.state === 'Stable' && g.members.length === 2;
      },
      90_000,
      'both members in the group',
    );

    const res = await request(h.server)
      .post(offsetsUrl())
      .send({ to: 'earliest', coordinated: true, waitTimeoutSeconds: 3 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'something besides that app consumes in it',
    );
    expect(res.body.error.message).toContain(
      `${configPath} on local was scaled back to 1 instance(s)`,
    );

    await waitFor(
      async () => {
        const s = await appStatus();
        return s.instances === 1 && s.running === 1;
      },
      90_000,
      'the app to run again',
    );
    expect(await committed()).toEqual({ 0: 2, 1: 2 });
    const [entry] = await auditRows('group-offsets-coordinated-reset');
    expect(entry).toMatchObject({
      outcome: 'failure',
      error: expect.stringContaining('scaled back to 1 instance(s)'),
    });
  });
});
