import { readClusterInfo } from './index';
import { getTestCluster, testNamespace, TEST_RUN_ID_ENV } from './testing';

describe('test harness', () => {
  it('getTestCluster returns what globalSetup exported', () => {
    const cluster = getTestCluster();
    const recorded = readClusterInfo()!;
    expect(cluster.kafka.brokers).toEqual(recorded.kafka.brokers);
    expect(cluster.zookeeper.connectionString).toBe(
      recorded.zookeeper.connectionString,
    );
    expect(cluster.connect.url).toBe(recorded.connect.url);
  });

  it('testNamespace is stable per label, distinct across labels, and names this file and run', () => {
    const a = testNamespace('Consumer Lag!');
    const b = testNamespace('other');
    expect(testNamespace('Consumer Lag!')).toEqual(a);
    expect(a.id).not.toBe(b.id);
    expect(a.id.startsWith(process.env[TEST_RUN_ID_ENV]!)).toBe(true);
    expect(a.id).toMatch(/-testing-[0-9a-f]{6}-consumer-lag$/);
    expect(a.zkRoot).toBe(`/archon-test/${a.id}`);
    // Valid Kafka names: [a-zA-Z0-9._-], at most 249 characters with room to spare.
    expect(a.topicPrefix).toMatch(/^[a-z0-9-]+$/);
    expect(a.topicPrefix.length).toBeLessThan(150);
    expect(a.groupPrefix.startsWith('archon-test-')).toBe(true);
  });
});
