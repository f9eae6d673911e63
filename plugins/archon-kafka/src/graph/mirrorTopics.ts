/**
 * What a MirrorMaker 2 source connector replicates, read from its
 * configuration the way MirrorMaker reads it (Kafka's connect-mirror:
 * `DefaultTopicFilter`, `DefaultReplicationPolicy`,
 * `IdentityReplicationPolicy`), for the graph's `mirrors` edges.
 */

/** The connector class, whatever package prefix the configuration spells. */
const MIRROR_SOURCE_CLASS = /(^|\.)MirrorSourceConnector$/;

/** MirrorMaker's default `topics.exclude` (connect-mirror's DefaultTopicFilter). */
const DEFAULT_EXCLUDE = 'mm2.*\\.internal, .*\\.replica, __.*';

export interface MirrorSpec {
  sourceAlias: string;
  targetAlias: string;
  sourceBrokers: string[];
  targetBrokers: string[];
  /** `identity` keeps the name; `default` prefixes the source alias and the separator. */
  policy: 'default' | 'identity';
  separator: string;
  /** `topics` as written (default `.*`), and the pattern MirrorMaker compiles from it. */
  topics: string;
  include?: RegExp;
  exclude: string;
  excludePattern?: RegExp;
}

/** Why a MirrorSourceConnector's configuration names no replicas (an unknown policy, a bad pattern). */
export interface MirrorSpecProblem {
  problem: string;
}

/**
 * The mirror a connector's configuration declares; undefined when it is no
 * MirrorSourceConnector.
 */
export function mirrorSpecOf(
  config: Record<string, string | undefined>,
): MirrorSpec | MirrorSpecProblem | undefined {
  if (!MIRROR_SOURCE_CLASS.test(config['connector.class']?.trim() ?? ''))
    return undefined;
  const policyClass = config['replication.policy.class']?.trim() ?? '';
  let policy: MirrorSpec['policy'];
  if (policyClass === '' || /(^|\.)DefaultReplicationPolicy$/.test(policyClass))
    policy = 'default';
  else if (/(^|\.)IdentityReplicationPolicy$/.test(policyClass))
    policy = 'identity';
  else
    return {
      problem: `replication.policy.class ${policyClass} is neither DefaultReplicationPolicy nor IdentityReplicationPolicy, so the replicas' names are not known`,
    };
  const topics = config.topics?.trim() || '.*';
  const exclude =
    config['topics.exclude']?.trim() ||
    config['topics.blacklist']?.trim() ||
    DEFAULT_EXCLUDE;
  const include = javaListPattern(topics);
  const excludePattern = javaListPattern(exclude);
  if (include === null)
    return { problem: `topics=${topics} is no pattern archon can read` };
  if (excludePattern === null)
    return {
      problem: `topics.exclude=${exclude} is no pattern archon can read`,
    };
  return {
    sourceAlias: config['source.cluster.alias']?.trim() || 'source',
    targetAlias: config['target.cluster.alias']?.trim() || 'target',
    sourceBrokers: splitList(config['source.cluster.bootstrap.servers']),
    targetBrokers: splitList(config['target.cluster.bootstrap.servers']),
    policy,
    separator: config['replication.policy.separator'] ?? '.',
    topics,
    include,
    exclude,
    excludePattern,
  };
}

/** The replica's name on the target cluster. */
export function replicaName(spec: MirrorSpec, topic: string): string {
  return spec.policy === 'identity'
    ? topic
    : `${spec.sourceAlias}${spec.separator}${topic}`;
}

/**
 * The source cluster's topics the connector replicates, each with its
 * replica's name and why: matched by `topics` and not by `topics.exclude`
 * (or a heartbeats topic, which MirrorMaker always replicates), minus
 * MirrorMaker's internal topics and, under the default policy, topics that
 * came from the target (a cycle).
 */
export function mirroredTopics(
  spec: MirrorSpec,
  sourceTopics: readonly string[],
): Array<{ topic: string; replica: string; declared: string }> {
  const out: Array<{ topic: string; replica: string; declared: string }> = [];
  for (const topic of sourceTopics) {
    if (isInternalTopic(topic) || isCycle(spec, topic)) continue;
    const heartbeats = isHeartbeatsTopic(spec, topic);
    const selected =
      (spec.include?.test(topic) ?? false) &&
      !(spec.excludePattern?.test(topic) ?? false);
    if (!selected && !heartbeats) continue;
    const policy =
      spec.policy === 'identity'
        ? 'IdentityReplicationPolicy'
        : `DefaultReplicationPolicy, ${spec.sourceAlias}${spec.separator}`;
    out.push({
      topic,
      replica: replicaName(spec, topic),
      declared: `${
        selected ? `config topics=${spec.topics}` : 'heartbeats topic'
      } (${policy})`,
    });
  }
  return out;
}

/** MirrorMaker's and Kafka's internal topics, never replicated (ReplicationPolicy.isInternalTopic). */
function isInternalTopic(topic: string): boolean {
  return (
    topic.startsWith('__') ||
    topic.startsWith('.') ||
    topic.endsWith('.internal') ||
    topic.endsWith('-internal') ||
    /^mm2-(offsets|configs|status|offset-syncs)\./.test(topic)
  );
}

/** `heartbeats`, or a replica of one (`east.heartbeats`). */
function isHeartbeatsTopic(spec: MirrorSpec, topic: string): boolean {
  return (
    topic === 'heartbeats' ||
    (spec.policy === 'default' && topic.endsWith(`${spec.separator}heartbeats`))
  );
}

/** Under the default policy a topic whose name says it came from the target would go round in a circle. */
function isCycle(spec: MirrorSpec, topic: string): boolean {
  if (spec.policy !== 'default') return false;
  return topic.split(spec.separator).slice(0, -1).includes(spec.targetAlias);
}

/**
 * MirrorMaker joins a comma-separated list of Java patterns with `|` and
 * matches whole names; null when JavaScript cannot read the pattern.
 */
function javaListPattern(value: string): RegExp | null {
  const items = splitList(value);
  if (items.length === 0) return null;
  try {
    return new RegExp(`^(?:${items.join('|')})$`);
  } catch {
    return null;
  }
}

/**
 * The configured Kafka cluster a list of bootstrap servers points at: one
 * broker address in common (`localhost` and `127.0.0.1` are one host).
 */
export function clusterOfBrokers(
  brokers: readonly string[],
  clusters: ReadonlyArray<{ name: string; brokers: readonly string[] }>,
): string | undefined {
  const wanted = new Set(brokers.map(normalizeBroker));
  return clusters.find(c => c.brokers.some(b => wanted.has(normalizeBroker(b))))
    ?.name;
}

function normalizeBroker(address: string): string {
  const bare = address
    .trim()
    .toLowerCase()
    .replace(/^[a-z_]+:\/\//, '');
  const colon = bare.lastIndexOf(':');
  const host = colon > 0 ? bare.slice(0, colon) : bare;
  const port = colon > 0 ? bare.slice(colon + 1) : '9092';
  const loopback = ['localhost', '127.0.0.1', '::1', '[::1]'].includes(host);
  return `${loopback ? 'loopback' : host}:${port}`;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}
