import { G1_GC } from './java';

/**
 * The environments of the local cluster: `local` (the services archon has always
 * run against) and `dr`, a second, smaller copy of the Kafka-side stack (its own
 * ZooKeeper, Kafka, Connect with MirrorMaker 2, Marathon) so that archon's lists
 * of ensembles, clusters and instances are exercised with two of each. The
 * service definitions are shared; an environment only names its services, its
 * ports and its heaps.
 */
export type EnvironmentName = 'local' | 'dr';

/** Every environment, `local` first. */
export const ENVIRONMENT_NAMES: EnvironmentName[] = ['local', 'dr'];

/** JVM heap sizes (java's -Xms / -Xmx syntax). */
export interface Heap {
  initial: string;
  max: string;
}

/**
 * Appended to an environment's service names: nothing for local (its names
 * are older than the second environment), `-dr` for dr.
 */
type ServiceSuffix<N extends EnvironmentName> = N extends 'local'
  ? ''
  : `-${N}`;
/** The same for port settings, which are camelCase: `kafka`, `kafkaDr`. */
type PortSuffix<N extends EnvironmentName> = N extends 'local'
  ? ''
  : Capitalize<N>;

/** The services of every environment, in the order `status` lists them. */
export const SERVICE_KINDS = [
  'zookeeper',
  'kafka',
  'connect',
  'marathon',
] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** The services of the environments (`kafka`, `kafka-dr`, ...); state.ts adds PostgreSQL. */
export type EnvironmentServiceName =
  `${ServiceKind}${ServiceSuffix<EnvironmentName>}`;

/**
 * The ports of an environment, by role: ZooKeeper's client port and its
 * AdminServer (HTTP; a free port is picked when the default is taken, unless
 * it was set), Kafka's broker and KRaft controller listeners (the controller
 * defaults to the broker's port + 1, so it comes after it), Connect's REST
 * port and the local Marathon-compatible server's (packages/local-marathon).
 */
export const PORT_ROLES = [
  'zookeeper',
  'zookeeperAdmin',
  'kafka',
  'kafkaController',
  'connect',
  'marathon',
] as const;
export type PortRole = (typeof PORT_ROLES)[number];

/** The port settings of the environments (`kafka`, `kafkaDr`, ...); settings.ts adds PostgreSQL's. */
export type EnvironmentPortName = `${PortRole}${PortSuffix<EnvironmentName>}`;

export interface EnvironmentSpec {
  name: EnvironmentName;
  /** Appended to service names and titles: '' for local, '-dr' / ' (dr)' for dr. */
  suffix: string;
  services: {
    zookeeper: `zookeeper${ServiceSuffix<EnvironmentName>}`;
    kafka: `kafka${ServiceSuffix<EnvironmentName>}`;
    connect: `connect${ServiceSuffix<EnvironmentName>}`;
    marathon: `marathon${ServiceSuffix<EnvironmentName>}`;
  };
  ports: Record<PortRole, EnvironmentPortName>;
  /** The variables that move its ports start with this: `ARCHON_` for local, `ARCHON_DR_` for dr. */
  variablePrefix: string;
  /** Its ports when no variable moves them (the KRaft controller's: the broker's + 1). */
  defaultPorts: Record<Exclude<PortRole, 'kafkaController'>, number>;
  heaps: { zookeeper: Heap; kafka: Heap; connect: Heap };
  /** Collector and JIT flags of the environment's JVMs. */
  jvmTuning: string[];
  /** The variable that overrides the broker's maximum heap. */
  kafkaHeapEnv: string;
  /**
   * The connector class Connect's health probe requires in /connector-plugins:
   * dr's worker exists to run MirrorMaker 2, so it is not healthy without it.
   */
  connectProbePlugin: string;
  /** Host ports the local Marathon hands to tasks; the two instances must not share them. */
  marathonTaskPorts: string;
}

/**
 * dr carries little traffic, so its JVMs trade peak throughput for footprint:
 * the serial collector (no G1 remembered sets or parallel GC threads) and the
 * C1 compiler only (no C2 compile bursts competing for the 2 cores at start).
 */
const DR_JVM_TUNING = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** An environment's name and the names of its services and port settings. */
function names<N extends EnvironmentName>(name: N) {
  const suffix = (name === 'local' ? '' : `-${name}`) as ServiceSuffix<N>;
  const portSuffix = (
    name === 'local' ? '' : name[0].toUpperCase() + name.slice(1)
  ) as PortSuffix<N>;
  const variablePrefix =
    name === 'local' ? 'ARCHON_' : `ARCHON_${name.toUpperCase()}_`;
  return {
    name,
    suffix,
    variablePrefix,
    kafkaHeapEnv: `${variablePrefix}KAFKA_HEAP`,
    services: {
      zookeeper: `zookeeper${suffix}`,
      kafka: `kafka${suffix}`,
      connect: `connect${suffix}`,
      marathon: `marathon${suffix}`,
    } as const,
    ports: {
      zookeeper: `zookeeper${portSuffix}`,
      zookeeperAdmin: `zookeeperAdmin${portSuffix}`,
      kafka: `kafka${portSuffix}`,
      kafkaController: `kafkaController${portSuffix}`,
      connect: `connect${portSuffix}`,
      marathon: `marathon${portSuffix}`,
    } as const,
  };
}

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentSpec> = {
  local: {
    ...names('local'),
    defaultPorts: {
      zookeeper: 2181,
      zookeeperAdmin: 2182,
      kafka: 9092,
      connect: 8083,
      marathon: 8080,
    },
    heaps: {
      zookeeper: { initial: '32m', max: '128m' },
      // Large benchmark clusters (20,000 partitions) need more: ARCHON_KAFKA_HEAP.
      kafka: { initial: '64m', max: '512m' },
      connect: { initial: '64m', max: '512m' },
    },
    jvmTuning: G1_GC,
    connectProbePlugin: 'FileStreamSourceConnector',
    marathonTaskPorts: '31000-32000',
  },
  dr: {
    ...names('dr'),
    // Each local port + 10 (+ 100 for the HTTP/broker ones), so they read as a pair.
    defaultPorts: {
      zookeeper: 2191,
      zookeeperAdmin: 2192,
      kafka: 9192,
      connect: 8183,
      marathon: 8180,
    },
    // Smaller than local's: dr holds the sample's replica and a few test topics,
    // and CI runs both environments on 2 cores (RSS measured in the README).
    heaps: {
      zookeeper: { initial: '16m', max: '128m' },
      kafka: { initial: '32m', max: '256m' },
      connect: { initial: '32m', max: '384m' },
    },
    jvmTuning: DR_JVM_TUNING,
    connectProbePlugin: 'MirrorSourceConnector',
    marathonTaskPorts: '32001-33000',
  },
};

/** The environment and kind of one of the environments' services (`kafka-dr`: dr's kafka). */
export function environmentServiceOf(
  name: string,
): { env: EnvironmentSpec; kind: ServiceKind } | undefined {
  for (const envName of ENVIRONMENT_NAMES) {
    const env = ENVIRONMENTS[envName];
    const kind = SERVICE_KINDS.find(k => env.services[k] === name);
    if (kind) return { env, kind };
  }
  return undefined;
}
