import {
  DENIED_USER,
  TEST_USER,
  newRun,
  runAction,
  useArchonScaffolderTestBackend,
} from '../__testUtils__/archonScaffolderTestBackend';

jest.setTimeout(60_000);

const backend = useArchonScaffolderTestBackend('input-topics');

const action = () => backend().actions.get('archon:kafka:topics:require')!;

async function topicStatus(name: string) {
  return (await backend().api(`/kafka/local/topics/${name}`)).status;
}

async function deleteTopic(name: string) {
  await backend().api(`/kafka/local/topics/${name}?confirm=${name}`, {
    method: 'DELETE',
  });
}

async function createTopic(name: string, partitions: number) {
  const res = await backend().api('/kafka/local/topics', {
    method: 'POST',
    body: JSON.stringify({ name, partitions, replicationFactor: 1 }),
  });
  expect(res.status).toBe(201);
}

describe('archon:kafka:topics:require', () => {
  it("keeps existing topics and creates missing ones with the cluster's defaults, audited as the user", async () => {
    const existing = `${backend().ns.topicPrefix}in-existing`;
    const missing = `${backend().ns.topicPrefix}in-missing`;
    try {
      await createTopic(existing, 2);
      const run = newRun();
      await runAction(
        action(),
        { cluster: 'local', topics: [existing, missing] },
        run,
      );
      expect(run.outputs).toEqual({ created: [missing], existing: [existing] });
      expect(await topicStatus(missing)).toBe(200);
      // Lines a person reads; the local broker's num.partitions is 1.
      expect(run.logs).toEqual([
        `info topic ${existing} exists (2 partitions)`,
        `info created topic ${missing} on local (1 partition, replication 1)`,
      ]);
      const audit = (await (
        await backend().api('/audit?action=topic-create&limit=5')
      ).json()) as any;
      expect(
        audit.items.find((e: any) => e.target?.resource === missing),
      ).toMatchObject({ actor: TEST_USER });
    } finally {
      await deleteTopic(existing);
      await deleteTopic(missing);
    }
  });

  it('with createMissing false stops naming the missing topics and creates nothing', async () => {
    const a = `${backend().ns.topicPrefix}in-absent-a`;
    const b = `${backend().ns.topicPrefix}in-absent-b`;
    await expect(
      runAction(
        action(),
        { cluster: 'local', topics: [a, b], createMissing: false },
        newRun(),
      ),
    ).rejects.toThrow(
      `input topics ${a}, ${b} do not exist on Kafka cluster "local" (createMissingInputTopics is off: create them first or turn it on)`,
    );
    expect(await topicStatus(a)).toBe(404);
    expect(await topicStatus(b)).toBe(404);
  });

  it('rejects an invalid name before creating any topic', async () => {
    const good = `${backend().ns.topicPrefix}in-good`;
    await expect(
      runAction(
        action(),
        { cluster: 'local', topics: [good, 'bad name'] },
        newRun(),
      ),
    ).rejects.toThrow(`topic name "bad name" is illegal`);
    expect(await topicStatus(good)).toBe(404);
  });

  it("surfaces the API's message for an unknown cluster", async () => {
    await expect(
      runAction(
        action(),
        { cluster: 'nowhere', topics: [`${backend().ns.topicPrefix}x`] },
        newRun(),
      ),
    ).rejects.toThrow('unknown Kafka cluster "nowhere"');
  });

  it('fails with the 403 message for a user the policy denies, and creates nothing', async () => {
    const name = `${backend().ns.topicPrefix}in-denied`;
    await expect(
      runAction(
        action(),
        { cluster: 'local', topics: [name] },
        newRun(),
        DENIED_USER,
      ),
    ).rejects.toThrow(/^archon answered 403: /);
    expect(await topicStatus(name)).toBe(404);
  });
});
