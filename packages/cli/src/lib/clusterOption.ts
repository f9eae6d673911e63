import type { Command } from 'commander';
import type { CliRuntime } from './runtime';

/** A group's cluster for its subcommands: its --cluster, else the context's, else the only one. */
export type ClusterResolver = (rt: CliRuntime) => Promise<string>;

const SYSTEMS = {
  kafka: {
    label: 'Kafka cluster',
    resolve: (rt: CliRuntime, flag?: string) => rt.kafkaCluster(flag),
  },
  connect: {
    label: 'Kafka Connect cluster',
    resolve: (rt: CliRuntime, flag?: string) => rt.connectCluster(flag),
  },
};

/**
 * Adds `-c, --cluster` to a Kafka or Kafka Connect command group (topics,
 * consumer-groups, messages, connectors): the flag is the group's, so it goes
 * before or after the subcommand; the subcommands read it through the
 * resolver returned.
 */
export function addClusterOption(
  group: Command,
  system: keyof typeof SYSTEMS,
): ClusterResolver {
  const { label, resolve } = SYSTEMS[system];
  group.option(
    '-c, --cluster <name>',
    `${label} (default: the context's, else the only one)`,
  );
  return rt => resolve(rt, (group.opts() as { cluster?: string }).cluster);
}
