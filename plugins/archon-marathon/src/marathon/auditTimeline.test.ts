import request from 'supertest';
import {
  envServerCommand,
  startHarness,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * An app's timeline across systems: config edits on its levels, its
 * releases with their diffs, deploys and scaling, each audited once with the
 * actor and a masked summary.
 */
describe('the audit timeline of a deployed app', () => {
  let h: Harness;
  const path = '/tl/svc';
  const secret = `pw-${Date.now().toString(36)}`;

  beforeAll(async () => {
    h = await startHarness({
      label: 'audit-timeline',
      deploymentTimeoutMs: 20_000,
    });
    const writes = [
      await h.put('/tl', {
        'marathon.cmd': envServerCommand(),
        // The server listens on $PORT0: without a port it would crash (and the deploy fail).
        'marathon.ports': 'http',
        'marathon.cpus': '0.1',
        'marathon.mem': '64',
        'marathon.taskKillGracePeriodSeconds': '1',
      }),
      await h.put(path, { greeting: 'hello', 'db.password': secret }),
    ];
    if (writes.some(w => w.status !== 200))
      throw new Error(
        `writing the app failed: ${JSON.stringify(writes.map(w => w.body))}`,
      );
  });

  afterAll(async () => {
    await request(h.server)
      .post(h.api('/apps/destroy'))
      .send({ configPath: path, instance: 'local', confirm: path, wait: true });
    await h?.stop();
  });

  const deploy = () =>
    request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath: path, instance: 'local', wait: true });

  it('merges config edits, releases with their diffs, deploys and scaling, secrets masked', async () => {
    expect((await deploy()).body.status).toBe('succeeded');
    expect(
      (
        await h.patch(path, {
          set: { greeting: 'hi', 'db.password': `${secret}-2` },
        })
      ).status,
    ).toBe(200);
    expect((await deploy()).body.status).toBe('succeeded');
    const scale = await request(h.server)
      .post(h.api('/apps/scale'))
      .send({ configPath: path, instance: 'local', instances: 2, wait: true });
    expect(scale.body.status).toBe('succeeded');

    const res = await request(h.server).get(
      h.api(`/audit/timeline?configPath=${encodeURIComponent(path)}`),
    );
    expect(res.status).toBe(200);
    const items: Array<{
      time: string;
      kind: string;
      action: string;
      relation: string;
      actor: string;
      changes: unknown[];
      release?: unknown;
    }> = res.body.items;
    // Newest first. A release and the audit entry of its deploy are made within the same request, so only
    // the order within each kind is asserted, and the whole by time.
    expect(items.map(i => i.time)).toEqual(
      [...items.map(i => i.time)].sort().reverse(),
    );
    expect(
      items
        .filter(i => i.kind === 'audit')
        .map(i => `${i.action} ${i.relation}`),
    ).toEqual([
      'app-scale app',
      'app-deploy app',
      'config-set-patch config-level',
      'app-deploy app',
      'config-set-put config-level',
      'config-set-put config-level',
    ]);
    expect(items.find(i => i.action === 'app-deploy')?.actor).toBe(
      'user:default/mock',
    );
    const releases = items.filter(i => i.kind === 'release');
    expect(releases).toHaveLength(2);
    expect(releases[0].release).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        status: 'deployed',
        instance: 'local',
      }),
    );
    expect(releases[0].changes).toEqual([
      { key: 'db.password', before: '********', after: '********' },
      { key: 'greeting', before: 'hello', after: 'hi' },
    ]);
    expect(items.find(i => i.action === 'config-set-patch')?.changes).toEqual([
      { key: 'db.password', before: '********', after: '********' },
      { key: 'greeting', before: 'hello', after: 'hi' },
    ]);
    expect(items[0].changes).toEqual(
      expect.arrayContaining([{ key: 'instances', after: 2 }]),
    );
    expect(res.text).not.toContain(secret);
  });
});
