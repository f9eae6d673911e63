import type { Command } from 'commander';
import { setApiFields, type FieldNames } from '../lib/apiFields';
import { commandPath } from './examples';

/**
 * The request fields of each command that are not simply the camelCase name
 * of one of its flags (those map by themselves: `expectedVersion` is
 * `--expected-version`), by command path. An API error's message and details
 * name these; the CLI prints the flag or argument the user typed instead.
 */
const API_FIELDS: Record<string, FieldNames> = {
  'config get': { configPath: '<path>' },
  'config set': {
    configPath: '<path>',
    properties: '<key=value>',
    set: '<key=value>',
  },
  'config unset': { configPath: '<path>', unset: '[keys...]' },
  'config edit': { configPath: '<path>' },
  'config effective': { configPath: '<path>' },
  'config pending': { configPath: '<path>', instance: '--target' },
  'config history': { configPath: '<path>' },
  'config tree': { prefix: '[prefix]' },
  'config rm': { configPath: '<path>' },
  'config restore': { configPath: '<path>', version: '<version>' },
  deploy: {
    configPath: '<configPath>',
    instance: '--target',
    timeoutSeconds: '--timeout',
  },
  rollback: { instance: '--target', timeoutSeconds: '--timeout' },
  'apps scale': {
    instance: '--target',
    instances: '<instances>',
    timeoutSeconds: '--timeout',
  },
  'apps restart': { instance: '--target', timeoutSeconds: '--timeout' },
  'apps suspend': { instance: '--target', timeoutSeconds: '--timeout' },
  'apps destroy': { instance: '--target', timeoutSeconds: '--timeout' },
  'apps ls': { configPath: '--path', instance: '--target' },
  'deployments ls': { configPath: '--path', instance: '--target' },
  'releases ls': { configPath: '<configPath>', instance: '--target' },
  'zookeeper find': { query: '<text>', maxResults: '--max' },
  'topics create': { name: '<topic>', configs: '--config' },
  'topics alter': { count: '--partitions', set: '--config' },
  'consumer-groups lag': { minutes: '--history' },
  'connectors status': { name: '<name>' },
  'connectors update': { name: '<name>' },
  'connectors delete': { name: '<name>' },
  'connectors pause': { name: '<name>' },
  'connectors resume': { name: '<name>' },
  'connectors stop': { name: '<name>' },
  'connectors restart': { name: '<name>' },
  graph: {
    around: '--from',
    kinds: '--kind',
    edgeKinds: '--edge-kind',
    clusters: '--cluster',
    q: '--query',
  },
  impact: { nodeId: '<nodeId>' },
  lineage: { nodeId: '<nodeId>' },
  path: { _from: '<from>', from: '<from>', to: '<to>' },
};

/** Gives a command the table above, if it has one (program.ts does it for every command). */
export function addApiFields(cmd: Command): void {
  const names = API_FIELDS[commandPath(cmd)];
  if (names) setApiFields(cmd, names);
}
