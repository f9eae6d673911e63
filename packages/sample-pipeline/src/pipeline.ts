import path from 'node:path';

/** Where and under which names one copy of the sample pipeline lives. */
export interface PipelineOptions {
  /**
   * Names everything: the configuration root `/<name>`, topics
   * `<name>.raw` …, connectors `<name>-file-source` …, groups
   * `<name>-enricher` …. Letters, digits and `-`. Default `sample`.
   */
  name: string;
  /** Bootstrap brokers the apps connect to (`kafka.brokers`). */
  brokers: string[];
  /** archon's name for the Kafka / Connect cluster and the Marathon instance. */
  kafkaCluster: string;
  connectCluster: string;
  instance: string;
  /** The node binary the apps run with (Marathon runs them as local processes). */
  nodeBinary: string;
  /** The folder of enricher.mjs & co. */
  appsDir: string;
  /** Where the FileStream connectors read and write (the Connect worker runs locally). */
  dataDir: string;
}

export interface PipelineDefinition {
  /** Configuration levels, parents first. */
  configSets: Array<{ path: string; properties: Record<string, string> }>;
  topics: Array<{ name: string; partitions: number }>;
  connectors: Array<{
    name: string;
    config: { 'connector.class': string; [key: string]: string };
  }>;
  /** Configuration paths to deploy. */
  apps: string[];
  files: { input: string; output: string };
}

const STRING_CONVERTERS = {
  // The lines are plain text, not the worker's default JSON.
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};

/**
 * The whole sample pipeline as archon sees it:
 *
 *   input file → FileStream source → <name>.raw → enricher → <name>.enriched
 *     → aggregator → <name>.aggregated → FileStream sink → output file
 *
 * plus an appender app that keeps the input file growing and a web app
 * published through marathon-lb labels. The configuration is a hierarchy:
 * `/<name>` holds the shared Kafka and runtime settings, `/<name>/pipeline`
 * the topic names and how its apps run, each app's leaf its own keys, with
 * `${...}` references to the levels above.
 */
export function pipelineDefinition(o: PipelineOptions): PipelineDefinition {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(o.name)) {
    throw new Error(
      `pipeline name "${o.name}" must be lower-case letters, digits and '-'`,
    );
  }
  const root = `/${o.name}`;
  const files = {
    input: path.join(o.dataDir, 'input.txt'),
    output: path.join(o.dataDir, 'output.txt'),
  };
  const topic = (stage: string) => `${o.name}.${stage}`;
  return {
    files,
    configSets: [
      {
        path: root,
        properties: {
          'kafka.brokers': o.brokers.join(','),
          'kafka.cluster': o.kafkaCluster,
          'sample.node': o.nodeBinary,
          'sample.home': o.appsDir,
          'sample.data': o.dataDir,
          'archon.owner': 'group:default/sample-team',
          'archon.system': 'sample-pipeline',
          'marathon.cmd':
            'exec "${sample.node}" "${sample.home}/${sample.app}.mjs"',
          'marathon.cpus': '0.1',
          'marathon.mem': '128',
          'marathon.taskKillGracePeriodSeconds': '2',
          'marathon.upgrade.minimumHealthCapacity': '0',
        },
      },
      {
        path: `${root}/pipeline`,
        properties: {
          'pipeline.raw': topic('raw'),
          'pipeline.enriched': topic('enriched'),
          'pipeline.aggregated': topic('aggregated'),
          'pipeline.errors': topic('errors'),
          'kafka.client.id': '${sample.app}',
          'archon.description': 'A stage of the sample pipeline',
        },
      },
      {
        path: `${root}/pipeline/appender`,
        properties: {
          'sample.app': 'appender',
          'sample.input.file': '${sample.data}/input.txt',
          // The graph links the appender to the source connector reading this file.
          'archon.writes.files': '${sample.input.file}',
          'sample.append.interval.ms': '1000',
        },
      },
      {
        path: `${root}/pipeline/enricher`,
        properties: {
          'sample.app': 'enricher',
          'kafka.input.topics': '${pipeline.raw}',
          'kafka.output.topics': '${pipeline.enriched}',
          // Declared for records it cannot enrich; it never needs it (yet).
          'kafka.error.topics': '${pipeline.errors}',
          'kafka.group.id': `${o.name}-enricher`,
        },
      },
      {
        path: `${root}/pipeline/aggregator`,
        properties: {
          'sample.app': 'aggregator',
          'kafka.input.topics': '${pipeline.enriched}',
          'kafka.output.topics': '${pipeline.aggregated}',
          'kafka.group.id': `${o.name}-aggregator`,
        },
      },
      {
        path: `${root}/web`,
        properties: {
          'sample.app': 'web',
          'sample.sink.file': '${sample.data}/output.txt',
          // The graph links the sink connector writing this file to the web app.
          'archon.reads.files': '${sample.sink.file}',
          'marathon.ports': 'http',
          'marathon.healthCheck.path': '/health',
          'marathon.healthCheck.gracePeriodSeconds': '5',
          'marathon.healthCheck.intervalSeconds': '2',
          'marathon.healthCheck.timeoutSeconds': '1',
          'marathon.labels.HAPROXY_GROUP': 'external',
          'marathon.labels.HAPROXY_0_VHOST': `${o.name}.archon.local`,
        },
      },
    ],
    topics: ['raw', 'enriched', 'aggregated', 'errors'].map(stage => ({
      name: topic(stage),
      partitions: stage === 'raw' ? 1 : 2,
    })),
    connectors: [
      {
        name: `${o.name}-file-source`,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'tasks.max': '1',
          file: files.input,
          topic: topic('raw'),
          ...STRING_CONVERTERS,
        },
      },
      {
        name: `${o.name}-file-sink`,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSinkConnector',
          'tasks.max': '1',
          file: files.output,
          topics: topic('aggregated'),
          ...STRING_CONVERTERS,
        },
      },
    ],
    apps: [
      `${root}/pipeline/appender`,
      `${root}/pipeline/enricher`,
      `${root}/pipeline/aggregator`,
      `${root}/web`,
    ],
  };
}
