/*
 * A private archon for `scripts/fuzz.sh --private`: its own ZooKeeper, Kafka
 * and Kafka Connect (the local cluster's jars in a temporary run folder, on
 * free ports), its own local Marathon-compatible server, and archon with the
 * Kafka and Marathon modules in the one test backend (@archon/test-utils:
 * in-memory SQLite, every permission allowed, no token needed). Nothing it runs is shared, so every
 * mutating operation can be fuzzed.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs scripts/fuzz/privateBackend.ts <ready-file>
 *
 * Writes `{"url": ..., "connectDir": ...}` to <ready-file> once archon answers,
 * and stops everything it started (the cluster, Marathon's tasks, the
 * temporary folder) once <ready-file>.stop exists, then exits. A file rather
 * than a signal: the backend's own SIGTERM handler exits the process as soon
 * as the backend has stopped, before the cluster would be.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  findFreePort,
  startService,
  stopLocalCluster,
} from '@archon/local-cluster';
import { startArchonTestBackend } from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';

async function main() {
  const readyFile = process.argv[2];
  if (!readyFile) throw new Error('usage: privateBackend.ts <ready-file>');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-fuzz-'));
  // The fuzz hooks point every FileStream connector's file here.
  const connectDir = path.join(workDir, 'connect-files');
  fs.mkdirSync(connectDir);
  const clusterOptions = {
    runDir: path.join(workDir, 'cluster'),
    ports: {
      zookeeper: await findFreePort(),
      zookeeperAdmin: await findFreePort(),
      kafka: await findFreePort(),
      kafkaController: await findFreePort(),
      connect: await findFreePort(),
    },
    log: (line: string) => console.log(`fuzz-backend: ${line}`),
  };
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch(error => console.error(`fuzz-backend: ${error}`));
    // The services' logs stay beside the ready file, to read after the run.
    const logs = path.join(path.dirname(readyFile), 'logs');
    fs.rmSync(logs, { recursive: true, force: true });
    for (const service of ['zookeeper', 'kafka', 'connect']) {
      const from = path.join(clusterOptions.runDir, service, 'logs');
      if (fs.existsSync(from))
        fs.cpSync(from, path.join(logs, service), { recursive: true });
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  const stopFile = `${readyFile}.stop`;
  fs.rmSync(stopFile, { force: true });
  const watcher = setInterval(() => {
    if (!fs.existsSync(stopFile)) return;
    clearInterval(watcher);
    void stopAll().then(() => process.exit(0));
  }, 500);
  try {
    stops.push(() => stopLocalCluster([], clusterOptions));
    await startService('connect', clusterOptions);
    await startService('zookeeper', clusterOptions);
    const backend = await startArchonTestBackend({
      features: [archonPlugin, archonModuleKafka, archonModuleMarathon],
      zookeeper: {
        connectionString: `127.0.0.1:${clusterOptions.ports.zookeeper}`,
        root: '/pheidippides',
      },
      // Its own local Marathon, stopped with the backend.
      marathon: { deploymentTimeoutMs: 20_000, taskKillGraceMs: 500 },
      archon: {
        kafka: {
          clusters: [
            {
              name: 'local',
              brokers: [`127.0.0.1:${clusterOptions.ports.kafka}`],
            },
          ],
        },
        kafkaConnect: {
          clusters: [
            {
              name: 'local',
              url: `http://127.0.0.1:${clusterOptions.ports.connect}`,
              kafkaCluster: 'local',
            },
          ],
        },
      },
    });
    stops.push(() => backend.stop());
    const url = backend.url;
    fs.writeFileSync(readyFile, JSON.stringify({ url, connectDir }));
    console.log(`fuzz-backend: archon answers on ${url}`);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch(error => {
  console.error(`fuzz-backend: ${error?.stack ?? error}`);
  process.exit(1);
});
