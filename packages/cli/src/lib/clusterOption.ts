import type { Command } from 'commander';
import type { CliRuntime } from './runtime';

interface ClusterOption {
  cluster?: string;
}

/** `-c, --cluster` on a Kafka group; the subcommands read it from the group. */
export function kafkaClusterOf(group: Command) {
  return (rt: CliRuntime) =>
    rt.kafkaCluster((group.opts() as ClusterOption).cluster);
}

/** A group's cluster for its subcommands: its --cluster, else the context's, else the only one. */
export type ClusterResolver = (rt: CliRuntime) => Promise<string>;
