import type {
  LocalClusterInfo,
  TestNamespace,
} from '@archon/local-cluster/testing';
import { Kafka, logLevel } from 'kafkajs';
import { removeZnodeTree } from './removeZnodeTree';

/**
 * Deletes what a suite made in the shared cluster under its namespace: the
 * connectors named with its topic prefix (Connect's REST API), its consumer
 * groups and topics (Kafka's admin API) and its ZooKeeper root, so the
 * cluster and the portal's graph keep nothing of a finished run. It talks to
 * the services, not to archon: in `afterAll` the suite's archon backend is
 * already stopped (Backstage's test backend stops it in an `afterAll` of its
 * own, registered before the suite's). Tries everything, then fails naming
 * what it could not delete. A suite without a ZooKeeper root of its own
 * passes a namespace without `zkRoot`.
 */
export async function removeTestNamespace(
  ns: Omit<TestNamespace, 'zkRoot'> & { zkRoot?: string },
  cluster: LocalClusterInfo,
): Promise<void> {
  const failures: string[] = [];
  const connect = cluster.connect.url;
  const listed = await fetch(`${connect}/connectors`);
  const connectors: string[] = listed.ok ? await listed.json() : [];
  if (!listed.ok) failures.push(`Connect's connector list: ${listed.status}`);
  for (const name of connectors.filter(n => n.startsWith(ns.topicPrefix))) {
    const res = await fetch(
      `${connect}/connectors/${encodeURIComponent(name)}`,
      { method: 'DELETE' },
    );
    if (!res.ok && res.status !== 404)
      failures.push(`connector ${name}: ${res.status} ${await res.text()}`);
  }
  const admin = new Kafka({
    clientId: 'archon-test-cleanup',
    brokers: cluster.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups
      .map(g => g.groupId)
      .filter(g => g.startsWith(ns.groupPrefix));
    if (groups.length)
      await admin
        .deleteGroups(groups)
        .catch(e => failures.push(`groups ${groups}: ${e.message}`));
    const topics = (await admin.listTopics()).filter(t =>
      t.startsWith(ns.topicPrefix),
    );
    if (topics.length)
      await admin
        .deleteTopics({ topics })
        .catch(e => failures.push(`topics ${topics}: ${e.message}`));
  } finally {
    await admin.disconnect();
  }
  if (ns.zkRoot)
    await removeZnodeTree(cluster.zookeeper.connectionString, ns.zkRoot);
  if (failures.length)
    throw new Error(`${ns.id} left behind: ${failures.join('; ')}`);
}
