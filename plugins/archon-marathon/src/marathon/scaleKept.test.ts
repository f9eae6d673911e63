import request from 'supertest';
import { startHarness, type Harness } from '../__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * A scale through archon outlives the next deploy (issue #13): on a private
 * local Marathon, an app scaled to 2 stays at 2 when deployed again with no
 * `marathon.instances`, and the dry run says it keeps them; once the
 * configuration sets instances, the configuration wins and both the dry run
 * and the live deploy say `instances: 2 → 1 (scaled by … at …)`.
 */
describe('a scale through archon and the next deploy', () => {
  let h: Harness;
  const path = '/kept/svc';

  beforeAll(async () => {
    h = await startHarness({ label: 'scalekept' });
    const put = await h.put(path, {
      'marathon.cpus': '0.1',
      'marathon.mem': '32',
      'marathon.cmd': 'sleep 600',
      'marathon.taskKillGracePeriodSeconds': '1',
    });
    if (put.status !== 200)
      throw new Error(
        `writing the configuration failed: ${JSON.stringify(put.body)}`,
      );
  });

  afterAll(async () => {
    await h?.stop();
  });

  const deploy = () =>
    request(h.server).post(h.api('/deployments')).send({
      configPath: path,
      instance: 'local',
      wait: true,
      timeoutSeconds: 60,
    });
  const dryRun = () =>
    request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath: path, instance: 'local', dryRun: true });
  // Asked of the local Marathon itself, not through archon.
  const wanted = async () =>
    (
      (await (await fetch(`${h.marathon.url}/v2/apps${path}`)).json()) as {
        app: { instances: number };
      }
    ).app.instances;
  const messages = (flow: { progress?: Array<{ message: string }> }) =>
    (flow.progress ?? []).map(e => e.message);

  it('keeps the scaled instances on the next deploy, and the dry run says so', async () => {
    expect((await deploy()).body).toMatchObject({ status: 'succeeded' });
    const scale = await request(h.server).post(h.api('/apps/scale')).send({
      configPath: path,
      instance: 'local',
      instances: 2,
      wait: true,
      timeoutSeconds: 60,
    });
    expect(scale.body).toMatchObject({ status: 'succeeded', instances: 2 });
    expect(await wanted()).toBe(2);

    const plan = await dryRun();
    expect(plan.status).toBe(200);
    expect(
      plan.body.changes.map((c: { field: string }) => c.field),
    ).not.toContain('instances');
    expect(plan.body.running.scale).toMatchObject({
      instances: 2,
      actor: scale.body.actor,
      at: scale.body.finishedAt,
    });
    expect(plan.body.running.scale.change).toBeUndefined();

    const again = await deploy();
    expect(again.body).toMatchObject({ status: 'succeeded' });
    expect(
      messages(again.body).filter(m => m.startsWith('instances:')),
    ).toEqual([]);
    expect(await wanted()).toBe(2);
  });

  it('lets the configuration win when it sets instances, and says what it changes', async () => {
    const patched = await h.patch(path, { set: { 'marathon.instances': '1' } });
    expect(patched.status).toBe(200);
    const plan = await dryRun();
    expect(plan.body.changes).toEqual(
      expect.arrayContaining([
        { field: 'instances', change: 'changed', before: 2, after: 1 },
      ]),
    );
    const sentence = plan.body.running.scale.change as string;
    expect(sentence).toMatch(
      /^instances: 2 → 1 \(scaled by \S+ at \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
    );

    const live = await deploy();
    expect(live.body).toMatchObject({ status: 'succeeded' });
    expect(messages(live.body)).toContain(sentence);
    expect(await wanted()).toBe(1);

    // The scale no longer says what runs: without marathon.instances the next deploy keeps 1, silently.
    expect(
      (await h.patch(path, { unset: ['marathon.instances'] })).status,
    ).toBe(200);
    const after = await dryRun();
    expect(
      after.body.changes.map((c: { field: string }) => c.field),
    ).not.toContain('instances');
    expect(after.body.running.scale).toBeUndefined();
  });
});
