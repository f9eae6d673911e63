import crypto from 'node:crypto';
import {
  ensureLocalCluster,
  type LocalClusterInfo,
} from '@archon/local-cluster';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The local cluster for integration tests: started or reused, then waited on
 * until the broker answers metadata (another test file may be restarting it).
 */
export async function testCluster(): Promise<LocalClusterInfo> {
  const info = await ensureLocalCluster();
  const kafka = new Kafka({
    clientId: 'archon-kafka-test',
    brokers: info.kafka.brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return info;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 1000));
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
}

/** A name prefix private to one test file and run. */
export function testPrefix(label: string): string {
  return `archon-test-${label}-${crypto.randomBytes(3).toString('hex')}-`;
}

/** A raw kafkajs client for test fixtures (producing, consuming, committing). */
export function fixtureKafka(info: LocalClusterInfo): Kafka {
  return new Kafka({
    clientId: 'archon-kafka-fixture',
    brokers: info.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
}
