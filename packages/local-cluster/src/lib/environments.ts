import { G1_GC } from './java';
import type { PortName } from './settings';

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

export interface EnvironmentSpec {
  name: EnvironmentName;
  /** Appended to service names and titles: '' for local, '-dr' / ' (dr)' for dr. */
  suffix: string;
  services: {
    zookeeper: 'zookeeper' | 'zookeeper-dr';
    kafka: 'kafka' | 'kafka-dr';
    connect: 'connect' | 'connect-dr';
    marathon: 'marathon' | 'marathon-dr';
  };
  ports: {
    zookeeper: PortName;
    zookeeperAdmin: PortName;
    kafka: PortName;
    kafkaController: PortName;
    connect: PortName;
    marathon: PortName;
  };
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

export const ENVIRONMENTS: Record<EnvironmentName, EnvironmentSpec> = {
  local: {
    name: 'local',
    suffix: '',
    services: {
      zookeeper: 'zookeeper',
      kafka: 'kafka',
      connect: 'connect',
      marathon: 'marathon',
    },
    ports: {
      zookeeper: 'zookeeper',
      zookeeperAdmin: 'zookeeperAdmin',
      kafka: 'kafka',
      kafkaController: 'kafkaController',
      connect: 'connect',
      marathon: 'marathon',
    },
    heaps: {
      zookeeper: { initial: '32m', max: '128m' },
      // Large benchmark clusters (20,000 partitions) need more: ARCHON_KAFKA_HEAP.
      kafka: { initial: '64m', max: '512m' },
      connect: { initial: '64m', max: '512m' },
    },
    jvmTuning: G1_GC,
    kafkaHeapEnv: 'ARCHON_KAFKA_HEAP',
    connectProbePlugin: 'FileStreamSourceConnector',
    marathonTaskPorts: '31000-32000',
  },
  dr: {
    name: 'dr',
    suffix: '-dr',
    services: {
      zookeeper: 'zookeeper-dr',
      kafka: 'kafka-dr',
      connect: 'connect-dr',
      marathon: 'marathon-dr',
    },
    ports: {
      zookeeper: 'zookeeperDr',
      zookeeperAdmin: 'zookeeperAdminDr',
      kafka: 'kafkaDr',
      kafkaController: 'kafkaControllerDr',
      connect: 'connectDr',
      marathon: 'marathonDr',
    },
    // Smaller than local's: dr holds the sample's replica and a few test topics,
    // and CI runs both environments on 2 cores (RSS measured in the README).
    heaps: {
      zookeeper: { initial: '16m', max: '128m' },
      kafka: { initial: '32m', max: '256m' },
      connect: { initial: '32m', max: '384m' },
    },
    jvmTuning: DR_JVM_TUNING,
    kafkaHeapEnv: 'ARCHON_DR_KAFKA_HEAP',
    connectProbePlugin: 'MirrorSourceConnector',
    marathonTaskPorts: '32001-33000',
  },
};
