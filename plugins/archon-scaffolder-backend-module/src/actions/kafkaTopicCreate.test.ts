import {
  DENIED_USER,
  newRun,
  runAction,
  useArchonScaffolderTestBackend,
} from '../__testUtils__/archonScaffolderTestBackend';

jest.setTimeout(60_000);

const backend = useArchonScaffolderTestBackend('topic-create');

// startTestBackend stops the backend in its own afterAll, so cleanup that
// needs the API happens inside the test.
async function deleteTopic(name: string) {
  const res = await backend().api(
    `/kafka/local/topics/${name}?confirm=${name}`,
    {
      method: 'DELETE',
    },
  );
  expect(res.status).toBeLessThan(300);
}

const action = () => backend().actions.get('archon:kafka:topic:create')!;

async function describeTopic(name: string) {
  const res = await backend().api(`/kafka/local/topics/${name}`);
  return { status: res.status, body: (await res.json()) as any };
}

describe('archon:kafka:topic:create', () => {
  it('creates the topic in Kafka, then accepts an identical one and refuses a different one', async () => {
    const name = `${backend().ns.topicPrefix}orders`;
    const input = {
      cluster: 'local',
      name,
      partitions: 3,
      replicationFactor: 1,
      configs: { 'retention.ms': '86400000' },
    };
    const created = newRun();
    try {
      await runAction(action(), input, created);
      expect(created.outputs).toEqual({ created: true, topic: name });
      const topic = await describeTopic(name);
      expect(topic.body.partitions).toHaveLength(3);
      expect(
        topic.body.configs.find((c: any) => c.name === 'retention.ms')?.value,
      ).toBe('86400000');

      const again = newRun();
      await runAction(action(), input, again);
      expect(again.outputs).toEqual({ created: false, topic: name });

      await expect(
        runAction(
          action(),
          { ...input, partitions: 4, configs: { 'retention.ms': '1000' } },
          newRun(),
        ),
      ).rejects.toThrow(
        `topic "${name}" already exists on Kafka cluster "local" with different settings: partitions 3 (requested 4); retention.ms=86400000 (requested 1000)`,
      );
    } finally {
      await deleteTopic(name);
    }
  });

  it('rejects an invalid topic name before calling archon', async () => {
    await expect(
      runAction(action(), { cluster: 'local', name: 'bad name' }, newRun()),
    ).rejects.toThrow(
      // archon-common's topic-name rule, the same words the API answers with.
      `topic name "bad name" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`,
    );
  });

  it("surfaces the API's message for an unknown cluster", async () => {
    await expect(
      runAction(
        action(),
        { cluster: 'nowhere', name: `${backend().ns.topicPrefix}x` },
        newRun(),
      ),
    ).rejects.toThrow(
      'archon answered 400: unknown Kafka cluster "nowhere"; configured: local',
    );
  });

  it('fails with the 403 message for a user the policy denies, and creates nothing', async () => {
    const name = `${backend().ns.topicPrefix}denied`;
    await expect(
      runAction(action(), { cluster: 'local', name }, newRun(), DENIED_USER),
    ).rejects.toThrow(/^archon answered 403: /);
    expect((await describeTopic(name)).status).toBe(404);
  });
});
