import {
  sampleOperations,
  type OpenApiDocument,
  type SampleOperation,
} from './openApiSamples';

/** Reads that show what a denied caller must not see: secrets, messages, logs, raw data, the audit log. */
const SENSITIVE_READS = [
  /\/config\/(sets|effective)\//,
  /\/kafka\/\{cluster\}\/topics\/\{topic\}\/messages$/,
  /\/tasks\/\{taskId\}\/logs$/,
  /\/zookeeper\/\{ensemble\}\/(znodes|export)\//,
  /\/audit(\/|$)/,
];

/** The names the swept requests use: private to one test run. */
export interface SweepNames {
  zkRoot: string;
  topic: string;
  group: string;
  connector: string;
}

/**
 * Every mutating operation of the served OpenAPI document and the sensitive
 * reads, each with a sample request on the run's private names.
 */
export function sweptOperations(
  spec: OpenApiDocument,
  names: SweepNames,
): SampleOperation[] {
  return sampleOperations(spec, {
    pathParams: {
      // With its leading slash: valid as the path parameter and as the query parameter alike.
      configPath: '/sweep/app',
      ensemble: 'local',
      znodePath: `${names.zkRoot}/sweep`,
      cluster: 'local',
      instance: 'local',
      topic: names.topic,
      group: names.group,
      name: names.connector,
      appId: '/sweep/app',
      taskId: 'sweep-app.0',
      deploymentId: 'sweep-deployment',
      id: 'sweep-release',
      task: '0',
      broker: '1',
      version: '2026-01-01T00:00:00.000Z',
    },
    bodies: {
      // Realistic bodies where the minimal sample would not name the swept resources.
      KafkaCreateTopic: {
        name: names.topic,
        partitions: 1,
        replicationFactor: 1,
      },
      ConnectCreateConnector: {
        name: names.connector,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          topic: names.topic,
          file: '/dev/null',
        },
      },
    },
  }).filter(
    op =>
      op.method !== 'get' || SENSITIVE_READS.some(re => re.test(op.specPath)),
  );
}
