/*
 * The scale scenario's pipelines, the part of the graph the Pipelines view
 * draws: PIPELINES chains of STAGES apps on the private local Marathon
 * (`sleep 100000`, a few MiB each), app j of chain p consuming
 * `flow.p.j` and producing `flow.p.(j+1)` and `flow.p.errors`, as its
 * environment declares (archon's topicReferences rule) with its consumer
 * group `g.p.j` and its configuration path (a leaf of the configuration
 * tree) as a label; each chain fed by a real FileStream source connector
 * and drained by a real sink connector on the private Connect worker. Every
 * name but the groups' contains `flow`: searching the Pipelines view for
 * it shows the whole of it (apps + topics + connectors).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@archon/local-cluster/testing';
import type { KafkaClientFactory } from '../../../plugins/archon-kafka/src/kafka/KafkaClientFactory';

export interface PipelineShape {
  pipelines: number;
  stages: number;
}

export const flowTopic = (p: number, j: number | 'errors') => `flow.${p}.${j}`;
export const flowGroup = (p: number, j: number) => `g.${p}.${j}`;
const flowApp = (p: number, j: number) => `/scale/flow-${p}/app-${j}`;

/** Every topic the pipelines name: STAGES + 1 links and one errors topic a chain. */
export function flowTopics({ pipelines, stages }: PipelineShape): string[] {
  const names: string[] = [];
  for (let p = 0; p < pipelines; p++) {
    for (let j = 0; j <= stages; j++) names.push(flowTopic(p, j));
    names.push(flowTopic(p, 'errors'));
  }
  return names;
}

/** Creates them (one partition each); the caller waits for their leaders. */
export async function createFlowTopics(
  clients: KafkaClientFactory,
  cluster: string,
  shape: PipelineShape,
): Promise<void> {
  const admin = clients.createKafka(clients.getCluster(cluster)!).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      timeout: 120_000,
      topics: flowTopics(shape).map(topic => ({
        topic,
        numPartitions: 1,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Deploys the apps straight to Marathon (not through archon: seeding is not what is measured) and waits until all run. */
export async function deployFlowApps(
  marathonUrl: string,
  shape: PipelineShape,
  configPaths: string[],
): Promise<number> {
  let n = 0;
  for (let p = 0; p < shape.pipelines; p++) {
    for (let j = 0; j < shape.stages; j++, n++) {
      const res = await fetch(`${marathonUrl}/v2/apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: flowApp(p, j),
          cmd: 'sleep 100000',
          instances: 1,
          cpus: 0.01,
          mem: 8,
          env: {
            KAFKA_INPUT_TOPICS: flowTopic(p, j),
            KAFKA_OUTPUT_TOPICS: flowTopic(p, j + 1),
            KAFKA_ERRORS_TOPIC: flowTopic(p, 'errors'),
            KAFKA_GROUP_ID: flowGroup(p, j),
          },
          labels: {
            ARCHON_CONFIG_PATH: configPaths[n % configPaths.length],
          },
        }),
      });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(
          `Marathon answered ${res.status} to ${flowApp(
            p,
            j,
          )}: ${await res.text()}`,
        );
    }
  }
  const total = n;
  await waitFor(
    async () => {
      const res = await fetch(`${marathonUrl}/v2/apps`);
      const { apps } = (await res.json()) as {
        apps: Array<{ tasksRunning?: number }>;
      };
      return (
        apps.filter(a => (a.tasksRunning ?? 0) > 0).length >= total && total
      );
    },
    300_000,
    `${total} apps running on the private Marathon`,
    1000,
  );
  return total;
}

/**
 * One FileStream source (an empty file: it reads nothing) and one sink a
 * chain, `connectors` in all (at most two a chain), on the private worker;
 * waits until every connector reports RUNNING.
 */
export async function createFlowConnectors(
  connectUrl: string,
  runDir: string,
  shape: PipelineShape,
  connectors: number,
): Promise<string[]> {
  const dir = join(runDir, 'bench-connectors');
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let p = 0; p < shape.pipelines && names.length < connectors; p++) {
    const input = join(dir, `flow-${p}.in`);
    writeFileSync(input, '');
    const specs: Array<[string, Record<string, string>]> = [
      [
        `flow-${p}-source`,
        {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          file: input,
          topic: flowTopic(p, 0),
        },
      ],
      [
        `flow-${p}-sink`,
        {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSinkConnector',
          file: join(dir, `flow-${p}.out`),
          topics: flowTopic(p, shape.stages),
        },
      ],
    ];
    for (const [name, config] of specs) {
      if (names.length >= connectors) break;
      const res = await fetch(`${connectUrl}/connectors/${name}/config`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...config, 'tasks.max': '1' }),
      });
      if (!res.ok)
        throw new Error(
          `Connect answered ${res.status} to ${name}: ${await res.text()}`,
        );
      names.push(name);
    }
  }
  await waitFor(
    async () => {
      const res = await fetch(`${connectUrl}/connectors?expand=status`);
      const all = (await res.json()) as Record<
        string,
        { status?: { connector?: { state?: string } } }
      >;
      return names.every(n => all[n]?.status?.connector?.state === 'RUNNING');
    },
    300_000,
    `${names.length} connectors running on the private Connect worker`,
    1000,
  );
  return names;
}
