import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalMarathon, type LocalMarathon } from '@archon/local-marathon';

/** How a suite's own local Marathon behaves; the defaults keep deploys quick. */
export interface PrivateMarathonOptions {
  /** When the server fails a deployment whose tasks never turn healthy (default 30 s). */
  deploymentTimeoutMs?: number;
  /** How long a killed task gets between SIGTERM and SIGKILL (default 1 s). */
  taskKillGraceMs?: number;
}

export interface PrivateMarathon {
  marathon: LocalMarathon;
  /** Stops the server (its tasks stop with it) and removes its data folder. */
  close(): Promise<void>;
}

/**
 * A local Marathon-compatible server of the suite's own: a free port, a
 * temporary data folder and a private range of host ports, so deploys run
 * real processes without touching the shared server on :8080 (which the
 * portal and every other suite use).
 */
export async function startPrivateMarathon(
  options: PrivateMarathonOptions = {},
): Promise<PrivateMarathon> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-marathon-'));
  // Random, so parallel test files (and other engineers' runs) rarely collide.
  const base = 40_000 + Math.floor(Math.random() * 200) * 100;
  const marathon = await startLocalMarathon({
    port: 0,
    dataDir,
    deploymentTimeoutMs: options.deploymentTimeoutMs ?? 30_000,
    taskKillGraceMs: options.taskKillGraceMs ?? 1000,
    offerIntervalMs: 200,
    portRange: { min: base, max: base + 99 },
  });
  return {
    marathon,
    async close() {
      await marathon.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
