import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-forbidden-package-imports -- the local cluster's test helpers
import {
  getTestCluster,
  testNamespace,
  type LocalClusterInfo,
} from '@archon/local-cluster/testing';
import { startLocalMarathon, type LocalMarathon } from '@archon/local-marathon';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test backend runs the real plugin
import archonPlugin from '@archon/plugin-archon-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- and its Kafka module
import archonModuleKafka from '@archon/plugin-archon-kafka';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- and its Marathon module
import archonModuleMarathon from '@archon/plugin-archon-marathon';

export interface PipelineBackend {
  /** http://127.0.0.1:<port>, what the seeder is pointed at. */
  url: string;
  cluster: LocalClusterInfo;
  ns: ReturnType<typeof testNamespace>;
  marathon: LocalMarathon;
  stop(): Promise<void>;
}

/**
 * archon's backend with every technology module (Kafka, Connect, Marathon),
 * as the portal runs it, on a real port: the shared local ZooKeeper (a
 * private root), Kafka and Connect, and a local Marathon-compatible server of
 * its own (apps run as real processes and stop with it). Mock auth accepts
 * requests without a token.
 */
export async function startPipelineBackend(
  label: string,
): Promise<PipelineBackend> {
  const cluster = getTestCluster();
  const ns = testNamespace(label);
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'archon-pipeline-marathon-'),
  );
  const base = 40_000 + Math.floor(Math.random() * 200) * 100;
  const marathon = await startLocalMarathon({
    port: 0,
    dataDir,
    deploymentTimeoutMs: 60_000,
    taskKillGraceMs: 2000,
    offerIntervalMs: 200,
    portRange: { min: base, max: base + 99 },
  });
  const backend = await startTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      archonModuleMarathon,
      mockServices.rootConfig.factory({
        data: {
          archon: {
            zookeeper: {
              ensembles: [
                {
                  name: 'local',
                  connectionString: cluster.zookeeper.connectionString,
                  root: `${ns.zkRoot}/pheidippides`,
                  sessionTimeoutMs: 6000,
                },
              ],
            },
            kafka: {
              clusters: [{ name: 'local', brokers: cluster.kafka.brokers }],
              sampler: { enabled: false },
              graph: { refreshIntervalSeconds: 2 },
            },
            kafkaConnect: {
              clusters: [
                {
                  name: 'local',
                  url: cluster.connect.url,
                  kafkaCluster: 'local',
                },
              ],
            },
            marathon: {
              instances: [
                {
                  name: 'local',
                  url: marathon.url,
                  mesosAgentUrl: marathon.url,
                },
              ],
            },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cluster,
    ns,
    marathon,
    async stop() {
      await backend.stop();
      await marathon.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
