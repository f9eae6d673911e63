import {
  DENIED_USER,
  newRun,
  runAction,
  useArchonScaffolderTestBackend,
} from '../__testUtils__/archonScaffolderTestBackend';

jest.setTimeout(60_000);

const backend = useArchonScaffolderTestBackend('config-write');

const action = () => backend().actions.get('archon:config:write')!;

async function storedSet(configPath: string) {
  const res = await backend().api(`/config/sets${configPath}`);
  return { status: res.status, body: (await res.json()) as any };
}

describe('archon:config:write', () => {
  it('merges by default, replaces on request, and masks secrets in its log', async () => {
    const first = newRun();
    await runAction(
      action(),
      {
        path: '/team-a/orders/enricher',
        properties: { 'kafka.group.id': 'enricher', 'db.password': 'hunter2' },
      },
      first,
    );
    expect(first.outputs).toMatchObject({
      path: '/team-a/orders/enricher',
      changedKeys: ['db.password', 'kafka.group.id'],
    });
    // One readable line per key, the secret masked.
    expect(first.logs).toEqual([
      'info merging into configuration /team-a/orders/enricher:',
      'info   kafka.group.id = enricher',
      'info   db.password = ********',
      expect.stringMatching(
        /^info configuration \/team-a\/orders\/enricher is at version \d+; changed: db.password, kafka.group.id$/,
      ),
    ]);

    const merged = newRun();
    await runAction(
      action(),
      {
        path: 'team-a/orders/enricher',
        properties: { 'marathon.instances': '2' },
      },
      merged,
    );
    let stored = await storedSet('/team-a/orders/enricher');
    expect(stored.body.properties).toEqual({
      'kafka.group.id': 'enricher',
      'db.password': 'hunter2',
      'marathon.instances': '2',
    });

    await runAction(
      action(),
      {
        path: '/team-a/orders/enricher',
        properties: { 'marathon.instances': '3' },
        mode: 'replace',
        expectedVersion: stored.body.version,
      },
      newRun(),
    );
    stored = await storedSet('/team-a/orders/enricher');
    expect(stored.body.properties).toEqual({ 'marathon.instances': '3' });
  });

  it("surfaces the API's conflict message for a stale expectedVersion and writes nothing", async () => {
    await runAction(
      action(),
      { path: '/team-a/stale', properties: { a: '1' } },
      newRun(),
    );
    await expect(
      runAction(
        action(),
        { path: '/team-a/stale', properties: { a: '2' }, expectedVersion: 42 },
        newRun(),
      ),
    ).rejects.toThrow(/^archon answered 409: /);
    expect((await storedSet('/team-a/stale')).body.properties).toEqual({
      a: '1',
    });
  });

  it('rejects a bad path segment or key before calling archon', async () => {
    await expect(
      runAction(
        action(),
        { path: '/team-a/bad.segment', properties: { a: '1' } },
        newRun(),
      ),
    ).rejects.toThrow(
      'segment "bad.segment" must be one or more of A-Z a-z 0-9 _ -',
    );
    await expect(
      runAction(
        action(),
        { path: '/team-a/badkey', properties: { 'a b': '1' } },
        newRun(),
      ),
    ).rejects.toThrow(
      'property keys must be one or more of A-Z a-z 0-9 . _ -: "a b"',
    );
    expect((await storedSet('/team-a/badkey')).status).toBe(404);
  });

  it('fails with the 403 message for a user the policy denies, and writes nothing', async () => {
    const denied = runAction(
      action(),
      { path: '/team-a/denied', properties: { a: '1' } },
      newRun(),
      DENIED_USER,
    );
    await expect(denied).rejects.toThrow(
      /^archon answered 403: .*archon\.config\.write/,
    );
    expect((await storedSet('/team-a/denied')).status).toBe(404);
  });
});
