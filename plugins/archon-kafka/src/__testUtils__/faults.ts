import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test backend needs the plugin this module extends
import archonPlugin from '@archon/plugin-archon-backend';
import type request from 'supertest';
import { archonModuleKafka } from '../module';

/** What a request that did not answer in time is reported as: status 0 and why. */
export type Answer =
  | request.Response
  | { status: 0; body: { error: { message: string } } };

/**
 * Sends the request with a time limit, so one that hangs shows up as
 * status 0 (and the test goes on) instead of stalling the test.
 */
export function answerOf(
  req: request.Test,
  timeoutMs = 30_000,
): Promise<Answer> {
  return Promise.resolve(req.timeout(timeoutMs)).catch((error: Error) => ({
    status: 0 as const,
    body: { error: { message: String(error) } },
  }));
}

/** Sends fresh requests until `ok` holds or `timeoutMs` has passed; returns the last answer. */
export async function until(
  send: () => request.Test,
  ok: (res: Answer) => boolean,
  timeoutMs = 90_000,
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await answerOf(send(), 15_000);
    if (ok(res) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 250));
  }
}

/**
 * archon's backend plugin with this module, given `archon.kafka` /
 * `archon.kafkaConnect` config. The scheduler is a mock, so the sampler never
 * runs and only the test's own requests reach the clusters.
 */
export function startKafkaModuleBackend(archon: JsonObject) {
  return startTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      mockServices.scheduler.mock({ scheduleTask: jest.fn(async () => {}) })
        .factory,
      mockServices.rootConfig.factory({ data: { archon } }),
    ],
  });
}
