import { ConfigResourceTypes, type ConfigEntries } from 'kafkajs';
import type { KafkaConfigEntry, KafkaConfigSource } from './KafkaAdapter';
import {
  type BrokerAccess,
  protocolError,
  sendRequest,
} from './kafkajsInternals';
import {
  API_KEYS,
  decodeIncrementalAlterConfigsV0,
  encodeIncrementalAlterConfigsV0,
} from './wire';

const CONFIG_SOURCES: Record<number, KafkaConfigSource> = {
  1: 'topic',
  2: 'broker-dynamic',
  3: 'cluster-dynamic',
  4: 'broker-static',
  5: 'default',
  6: 'broker-logger',
  7: 'client-metrics',
  8: 'group',
};

/** kafkajs' DescribeConfigs entries in archon's terms, sorted by name. */
export function configEntries(entries: ConfigEntries[]): KafkaConfigEntry[] {
  return entries
    .map(e => {
      const source = CONFIG_SOURCES[e.configSource as number] ?? 'unknown';
      const synonyms = (e.configSynonyms ?? [])
        .filter(s => s.configSource !== e.configSource)
        .map(s => ({
          value: s.configValue ?? null,
          source: CONFIG_SOURCES[s.configSource as number] ?? 'unknown',
        }));
      return {
        name: e.configName,
        value: e.isSensitive ? null : e.configValue ?? null,
        source,
        isOverride: source === 'topic',
        readOnly: e.readOnly,
        sensitive: e.isSensitive,
        synonyms,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** IncrementalAlterConfigs v0 (KIP-339) to the controller (see KafkajsAdapter). */
export async function alterTopicConfigs(
  kafka: BrokerAccess,
  topic: string,
  changes: Array<{ name: string; op: 'set' | 'delete'; value?: string }>,
  validateOnly: boolean,
): Promise<void> {
  const cluster = await kafka.cluster();
  const meta = await kafka.metadata();
  const broker = await cluster.findBroker({
    nodeId: meta.controller >= 0 ? meta.controller : meta.brokers[0].id,
  });
  const body = encodeIncrementalAlterConfigsV0(
    [{ type: ConfigResourceTypes.TOPIC, name: topic, configs: changes }],
    validateOnly,
  );
  const [answer] = await kafka.withReset(() =>
    sendRequest(
      broker,
      API_KEYS.IncrementalAlterConfigs,
      0,
      'IncrementalAlterConfigs',
      body,
      decodeIncrementalAlterConfigsV0,
    ),
  );
  if (answer?.errorCode)
    throw protocolError(answer.errorCode, answer.errorMessage);
}
