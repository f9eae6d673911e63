import type { ArchonHealthProbe } from '@archon/plugin-archon-node';
import { requestApiVersions } from '@archon/kafka-wire';
import type { KafkaClientFactory } from './KafkaClientFactory';
import type { KafkaClusterConfig } from './KafkaClusterConfig';
import { describeMetadataVersion } from './metadataVersions';

/**
 * A Kafka cluster is up when its metadata (brokers, controller) can be read.
 * The version comes from the finalized `metadata.version` feature that
 * brokers advertise in ApiVersions (plaintext listeners only).
 */
export function createKafkaHealthProbe(
  cluster: KafkaClusterConfig,
  clients: KafkaClientFactory,
): ArchonHealthProbe {
  return {
    kind: 'kafka',
    name: cluster.name,
    endpoint: cluster.brokers.join(','),
    async probe({ signal }) {
      const description = await clients.adapter(cluster.name).metadata();
      let version: string | undefined;
      let metadataVersion: string | undefined;
      if (!cluster.ssl && !cluster.sasl) {
        const broker = description.brokers[0];
        const versions = await requestApiVersions(broker.host, broker.port, {
          signal,
        });
        const level = versions.finalizedFeatures['metadata.version'];
        if (level !== undefined) {
          metadataVersion = describeMetadataVersion(level);
          version = metadataVersion.split('-')[0];
        }
      }
      return {
        version,
        details: {
          clusterId: description.clusterId,
          controller: description.controller,
          brokers: description.brokers.map(b => ({
            id: b.id,
            host: b.host,
            port: b.port,
          })),
          metadataVersion,
        },
      };
    },
  };
}
