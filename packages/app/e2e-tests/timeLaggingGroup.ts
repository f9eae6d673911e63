// A consumer group that lags by time lag (#18), for the browser tests of the
// pages that show it (Home's count, the Pipelines diagram).
import { produceAt } from '@archon/test-utils';
import { api, expect, type Json } from './fixtures';

/**
 * Runs `body` with a topic on local whose three records are stamped ten
 * minutes in the past and a group committed at offset 0 of it: the group
 * lags by about ten minutes at the portal's next lag sample, without waiting
 * for the clock (archon's produce API stamps records with the time of the
 * write). The names are `<prefix>-<time>` and `<prefix>-<time>-reader`; both
 * are removed afterwards, whatever `body` did.
 */
export async function withTimeLaggingGroup(
  prefix: string,
  body: (names: { topic: string; group: string }) => Promise<void>,
): Promise<void> {
  const suffix = Date.now().toString(36);
  const topic = `${prefix}-${suffix}`;
  const group = `${prefix}-${suffix}-reader`;
  const clusters = await api('GET', '/kafka');
  const local = clusters.body.items.find((c: Json) => c.name === 'local');
  try {
    const created = await api('POST', '/kafka/local/topics', {
      name: topic,
      partitions: 1,
      replicationFactor: 1,
    });
    expect(created.status).toBe(201);
    const old = Date.now() - 10 * 60_000;
    await produceAt({
      brokers: local.brokers,
      topic,
      records: [0, 1, 2].map(i => ({ value: `old-${i}`, timestamp: old })),
    });
    const committed = await api(
      'POST',
      `/kafka/local/consumer-groups/${group}/offsets`,
      { to: 'offset', partitions: [{ topic, partition: 0, offset: 0 }] },
    );
    expect(committed.status).toBe(200);
    await body({ topic, group });
  } finally {
    await api('DELETE', `/kafka/local/consumer-groups/${group}`);
    await api('DELETE', `/kafka/local/topics/${topic}?confirm=${topic}`);
  }
}
