// The Kafka routes suite's backend: archon's core, the Kafka module and a
// scheduler that hands its tasks to the test, on the local Kafka (and a
// cluster that is down); the test file's tests share it, in order.
import { mockServices } from '@backstage/backend-test-utils';
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import request from 'supertest';
import archonPlugin from '@archon/plugin-archon-backend';
import {
  removeTestNamespace,
  startArchonTestBackend,
} from '@archon/test-utils';
import { archonModuleKafka } from '../module';
import { testCluster, testPrefix } from './cluster';

export const prefix = testPrefix('kroute');
export const topic = `${prefix}orders`;
export const group = `${prefix}billing`;
/** The tasks archon scheduled (the sampler's among them), to run by hand. */
export const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
export let server: Parameters<typeof request>[0];
let stop: () => Promise<void>;
export let brokers: string[];

export const api = (path: string) => `/api/archon/kafka${path}`;

/**
 * Starts the backend before the file's tests and stops it after them;
 * `kafka` adds to its `archon.kafka` configuration (e.g. a faster graph refresh).
 */
export function useKafkaRoutesBackend(
  options: { kafka?: Record<string, unknown> } = {},
) {
  beforeAll(async () => {
    const info = await testCluster();
    brokers = info.kafka.brokers;
    const backend = await startArchonTestBackend({
      features: [
        archonPlugin,
        archonModuleKafka,
        mockServices.scheduler.mock({
          scheduleTask: jest.fn(async task => void tasks.push(task)),
        }).factory,
      ],
      cluster: info,
      zookeeper: false,
      archon: {
        kafka: {
          clusters: [
            { name: 'local', brokers },
            // Nothing listens on port 1: a cluster that is down.
            {
              name: 'down',
              brokers: ['127.0.0.1:1'],
              requestTimeoutMs: 2000,
            },
          ],
          sampler: { intervalSeconds: 60, retentionHours: 1 },
          ...options.kafka,
        },
      },
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    // Every topic and group of the file (through Kafka: the backend is
    // stopped by now), so the shared cluster keeps nothing of the run.
    await removeTestNamespace(
      { id: prefix, topicPrefix: prefix, groupPrefix: prefix },
      await testCluster(),
    );
  });
}
