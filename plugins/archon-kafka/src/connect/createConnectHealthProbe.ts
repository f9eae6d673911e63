import type { ArchonHealthProbe } from '@archon/plugin-archon-node';
import type { ConnectRestClient } from './ConnectRestClient';

/** A Connect cluster is up when a worker answers `GET /` with its version. */
export function createConnectHealthProbe(
  client: ConnectRestClient,
): ArchonHealthProbe {
  return {
    kind: 'kafka-connect',
    name: client.cluster.name,
    endpoint: client.cluster.url,
    async probe({ signal }) {
      const info = await client.get<{
        version: string;
        commit: string;
        kafka_cluster_id: string;
      }>('/', signal);
      return {
        version: info.version,
        details: {
          commit: info.commit,
          kafkaClusterId: info.kafka_cluster_id,
          kafkaCluster: client.cluster.kafkaCluster,
        },
      };
    },
  };
}
