/*
 * The streaks behind `since`, probe by probe (fresh probes, no background
 * loop): the first streak says its start is unknown before archon's first
 * probe, later streaks start exactly at their first probe and do not move
 * while the status stays. healthFaults.test.ts checks the same on a real
 * ZooKeeper that is frozen and thawed.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { HealthService } from './HealthService';

function serviceWith(answer: { up: boolean }) {
  return new HealthService({
    timeoutMs: 1000,
    intervalMs: 10_000,
    logger: mockServices.logger.mock(),
    probes: [
      {
        kind: 'zookeeper',
        name: 'local',
        async probe() {
          if (!answer.up) throw new Error('connection refused');
          return { version: '3.9' };
        },
      },
    ],
  });
}

const probe = async (health: HealthService) =>
  (await health.check({ fresh: true })).systems[0];

it('keeps since while the status stays, moves it when the status changes, and says the first streak may be older', async () => {
  const answer = { up: true };
  const health = serviceWith(answer);

  const first = await probe(health);
  expect(first.status).toBe('up');
  expect(first.since).toBe(first.checkedAt);
  expect(first.sinceUnknownBefore).toBe(
    `archon's first probe of this system was at ${first.since}; its state before is unknown`,
  );
  const again = await probe(health);
  expect(again.since).toBe(first.since);
  expect(again.sinceUnknownBefore).toBe(first.sinceUnknownBefore);

  answer.up = false;
  const down = await probe(health);
  expect(down.status).toBe('unreachable');
  expect(down.since).toBe(down.checkedAt);
  expect(Date.parse(down.since!)).toBeGreaterThanOrEqual(
    Date.parse(first.since!),
  );
  expect(down.sinceUnknownBefore).toBeUndefined();
  const stillDown = await probe(health);
  expect(stillDown.since).toBe(down.since);

  answer.up = true;
  const back = await probe(health);
  expect(back.status).toBe('up');
  expect(back.since).toBe(back.checkedAt);
  expect(back.sinceUnknownBefore).toBeUndefined();
});
