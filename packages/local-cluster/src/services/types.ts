import { Artifacts } from '../lib/maven';
import { PortClaim } from '../lib/ports';
import { LaunchSpec } from '../lib/process';
import { ClusterSettings } from '../lib/settings';
import { ClusterState, ServiceName, ServiceRecord } from '../lib/state';

/** What a service definition gets to work with. */
export interface ServiceContext {
  settings: ClusterSettings;
  /** The jar cache (only filled in for JVM services, which need it). */
  artifacts?: Artifacts;
  /** The current cluster.json contents (e.g. Connect reads Kafka's port from it). */
  state: ClusterState;
}

/** The ports a service is about to bind. */
export interface PortPlan {
  /** The main, client-facing port. */
  port: number;
  /** Every port by role, recorded in cluster.json. */
  ports: Record<string, number>;
  /** Checked to be free before launching. */
  claims: PortClaim[];
}

/** Health as seen by one probe. */
export interface Health {
  version?: string;
}

/**
 * One service of the cluster. The orchestrator (cluster.ts) owns the generic
 * parts (locking, pid files, reuse, port checks, waiting, stopping); a definition
 * only says how this service is configured, launched and probed.
 */
export interface ServiceDefinition {
  name: ServiceName;
  /** Human name for messages, e.g. "ZooKeeper". */
  title: string;
  /** Services that must be healthy before this one starts (started automatically). */
  dependsOn: ServiceName[];
  /** True for the JVM services, which need the jar cache. */
  usesJars: boolean;
  /** How long start-up may take before we give up. */
  startTimeoutMs: number;
  /** How long a graceful stop may take before SIGKILL. */
  stopTimeoutMs: number;
  /** The signal for a graceful stop. */
  stopSignal: NodeJS.Signals;

  planPorts(ctx: ServiceContext, previous?: ServiceRecord): Promise<PortPlan>;
  /** Writes config (and formats/initialises data the first time); returns how to launch. */
  prepare(ctx: ServiceContext, plan: PortPlan): Promise<LaunchSpec>;
  /** One bounded health check; throws (with a reason) when not healthy. */
  probe(
    ctx: ServiceContext,
    record: ServiceRecord,
    timeoutMs: number,
  ): Promise<Health>;
  /** Whether `pid` is this service's process for this run folder (not a recycled pid). */
  isOurProcess(ctx: ServiceContext, pid: number): boolean;
  /** Our processes for this service found without a pid file (e.g. pid file deleted). */
  findOrphans(ctx: ServiceContext): number[];
  /** The main log file shown by `status`. */
  logFile(ctx: ServiceContext): string;
  /** The version to show when the service is not running. */
  knownVersion(ctx: ServiceContext): string | undefined;
}
