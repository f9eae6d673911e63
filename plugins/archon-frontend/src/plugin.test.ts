import type { Entity } from '@backstage/catalog-model';
import { hasConfigPath, isKafkaConnector, isKafkaTopic } from './plugin';

const entity = (
  kind: string,
  annotations: Record<string, string>,
  type?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
  spec: type ? { type } : {},
});

describe('entity tab filters', () => {
  it('shows "Config" on components with archon.io/config-path only', () => {
    expect(
      hasConfigPath(entity('Component', { 'archon.io/config-path': '/a/b' })),
    ).toBe(true);
    expect(hasConfigPath(entity('Component', {}))).toBe(false);
    expect(
      hasConfigPath(entity('Resource', { 'archon.io/config-path': '/a/b' })),
    ).toBe(false);
  });

  it('shows "Kafka" on kafka-topic resources with their cluster and topic', () => {
    const annotations = {
      'archon.io/kafka-cluster': 'local',
      'archon.io/kafka-topic': 'orders',
    };
    expect(isKafkaTopic(entity('Resource', annotations, 'kafka-topic'))).toBe(
      true,
    );
    expect(isKafkaTopic(entity('Resource', annotations, 'database'))).toBe(
      false,
    );
    expect(
      isKafkaTopic(
        entity(
          'Resource',
          { 'archon.io/kafka-cluster': 'local' },
          'kafka-topic',
        ),
      ),
    ).toBe(false);
  });

  it('shows "Connector" on kafka-connector components with their Connect cluster and name', () => {
    const annotations = {
      'archon.io/connect-cluster': 'local',
      'archon.io/connector': 'orders-sink',
    };
    expect(
      isKafkaConnector(entity('Component', annotations, 'kafka-connector')),
    ).toBe(true);
    expect(
      isKafkaConnector(entity('Resource', annotations, 'kafka-connector')),
    ).toBe(false);
    expect(isKafkaConnector(entity('Component', annotations, 'service'))).toBe(
      false,
    );
    expect(
      isKafkaConnector(
        entity(
          'Component',
          { 'archon.io/connect-cluster': 'local' },
          'kafka-connector',
        ),
      ),
    ).toBe(false);
  });
});
