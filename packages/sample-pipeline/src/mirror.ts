import path from 'node:path';
import type { PipelineDefinition } from './pipeline';

/** A second environment archon knows: a Kafka cluster, a Connect cluster on it, a Marathon instance. */
export interface MirrorTarget {
  kafkaCluster: string;
  brokers: string[];
  connectCluster: string;
  instance: string;
}

/** What the second environment holds of the sample: MirrorMaker 2 on its Connect, an app on its Marathon. */
export interface MirrorDefinition {
  target: MirrorTarget;
  /** Configuration levels under `/<name>/<target>`, parents first. */
  configSets: PipelineDefinition['configSets'];
  connector: PipelineDefinition['connectors'][number];
  /** `<source cluster>.<name>.aggregated`: MirrorMaker's default replication policy. */
  replica: string;
  /** The app deployed to the target's Marathon, reading the replica. */
  app: string;
  /** Where that app writes each record it reads. */
  archive: string;
}

/**
 * The sample's replication to a second environment: a MirrorSourceConnector
 * on the target's Connect cluster copies `<name>.aggregated` from the source
 * cluster (MirrorMaker's default policy names the replica
 * `<source alias>.<topic>`; the aliases are archon's cluster names), and an
 * archiver app on the target's Marathon reads the replica in a group of its
 * own and appends every record to a file. Settings for one broker on each
 * side: replication factors 1; no ACL sync (the brokers have no
 * authorizer); no offset syncs, so MirrorMaker writes no internal topic to
 * the source cluster (nothing here translates group offsets).
 */
export function mirrorDefinition(o: {
  name: string;
  source: { kafkaCluster: string; brokers: string[] };
  target: MirrorTarget;
  dataDir: string;
}): MirrorDefinition {
  const root = `/${o.name}/${o.target.kafkaCluster}`;
  const topic = `${o.name}.aggregated`;
  const replica = `${o.source.kafkaCluster}.${topic}`;
  const archive = path.join(o.dataDir, `${o.target.kafkaCluster}-archive.txt`);
  return {
    target: o.target,
    replica,
    archive,
    app: `${root}/archiver`,
    configSets: [
      {
        path: root,
        properties: {
          // The apps below run in the second environment: its Kafka, not /<name>'s.
          'kafka.brokers': o.target.brokers.join(','),
          'kafka.cluster': o.target.kafkaCluster,
          'archon.description': `The sample's copy in ${o.target.kafkaCluster}, mirrored from ${o.source.kafkaCluster}`,
        },
      },
      {
        path: `${root}/archiver`,
        properties: {
          'sample.app': 'archiver',
          'kafka.input.topics': replica,
          'kafka.group.id': `${o.name}-${o.target.kafkaCluster}-archiver`,
          'sample.archive.file': archive,
        },
      },
    ],
    connector: {
      name: `${o.name}-mirror-${o.target.kafkaCluster}`,
      config: {
        'connector.class':
          'org.apache.kafka.connect.mirror.MirrorSourceConnector',
        'tasks.max': '1',
        'source.cluster.alias': o.source.kafkaCluster,
        'target.cluster.alias': o.target.kafkaCluster,
        'source.cluster.bootstrap.servers': o.source.brokers.join(','),
        'target.cluster.bootstrap.servers': o.target.brokers.join(','),
        topics: topic,
        'replication.factor': '1',
        'sync.topic.acls.enabled': 'false',
        'emit.offset-syncs.enabled': 'false',
        // MirrorMaker copies bytes; the worker's JSON converter would wrap them.
        'key.converter':
          'org.apache.kafka.connect.converters.ByteArrayConverter',
        'value.converter':
          'org.apache.kafka.connect.converters.ByteArrayConverter',
      },
    },
  };
}

/**
 * The second environment to mirror to: a Kafka cluster other than the
 * source with a Connect cluster writing to it, and the Marathon instance of
 * the same name (else another one than the pipeline's). A string says why
 * there is none.
 */
export function findMirrorTarget(
  source: { kafkaCluster: string; instance: string },
  kafka: Array<{ name: string; brokers: string[] }>,
  connect: Array<{ name: string; kafkaCluster: string | null }>,
  marathonInstances: string[],
): MirrorTarget | string {
  const others = kafka.filter(k => k.name !== source.kafkaCluster);
  if (others.length === 0)
    return `archon knows one Kafka cluster (${source.kafkaCluster}), none to mirror to`;
  for (const k of others) {
    const c = connect.find(x => x.kafkaCluster === k.name);
    if (!c) continue;
    const instance =
      marathonInstances.find(m => m === k.name) ??
      marathonInstances.find(m => m !== source.instance);
    if (!instance)
      return `no Marathon instance besides ${source.instance} to run the ${k.name} archiver`;
    return {
      kafkaCluster: k.name,
      brokers: k.brokers,
      connectCluster: c.name,
      instance,
    };
  }
  return `no Connect cluster writes to ${others
    .map(k => k.name)
    .join(' or ')}, so MirrorMaker cannot run there`;
}
