import fs from 'node:fs';
import type http from 'node:http';
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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the test backend needs the plugin this module extends
import archonPlugin from '@archon/plugin-archon-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- and the orchestrator module that deploys the apps
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import { archonModuleKafka } from '../module';

export interface AppBackend {
  server: http.Server;
  cluster: LocalClusterInfo;
  ns: ReturnType<typeof testNamespace>;
  marathon: LocalMarathon;
  /** Permission names the policy denies from now on (empty: everything allowed). */
  denied: Set<string>;
  stop(): Promise<void>;
}

/** The command that runs `groupMemberApp.mjs` with this node. */
export const groupMemberCommand = `exec "${process.execPath}" "${path.join(
  __dirname,
  'groupMemberApp.mjs',
)}"`;

/**
 * archon's backend with this module and the Marathon module, against the
 * shared local ZooKeeper (a private root) and Kafka, and a local
 * Marathon-compatible server of its own whose apps run as real processes
 * (and stop with it). A permission policy that allows all but `denied`.
 */
export async function startAppBackend(
  label: string,
  options: { waitTimeoutSeconds?: number } = {},
): Promise<AppBackend> {
  const cluster = getTestCluster();
  const ns = testNamespace(label);
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'archon-kafka-marathon-'),
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
  const denied = new Set<string>();
  const decide = async (requests: Array<{ permission: { name: string } }>) =>
    requests.map(r => ({
      result: denied.has(r.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })) as any;
  const backend = await startTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      archonModuleMarathon,
      mockServices.permissions.mock({
        authorize: decide,
        authorizeConditional: decide,
      }).factory,
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
              coordinatedReset: {
                waitTimeoutSeconds: options.waitTimeoutSeconds ?? 30,
              },
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
  return {
    server: backend.server as http.Server,
    cluster,
    ns,
    marathon,
    denied,
    async stop() {
      await backend.stop();
      await marathon.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
