import fs from 'node:fs';
import path from 'node:path';
import { startService } from '../index';
import { runCli } from '../testUtils/cli';
import { blockPort } from '../testUtils/portBlocker';
import { findFreePort, isPortFree } from './ports';

jest.setTimeout(120_000);

describe('a port taken by someone else', () => {
  let blocked: Awaited<ReturnType<typeof blockPort>>;
  let port: number;
  let runDir: string;

  beforeAll(async () => {
    blocked = await blockPort('ports');
    ({ port, runDir } = blocked);
  });
  afterAll(() => blocked.close());

  it('is detected', async () => {
    expect(await isPortFree(port)).toBe(false);
    expect(await isPortFree(await findFreePort())).toBe(true);
  });

  it('makes the CLI fail with one line naming the port and its env var', async () => {
    const result = await runCli(['start', 'zookeeper'], {
      ARCHON_RUN_DIR: runDir,
      ARCHON_ZK_PORT: String(port),
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `local-cluster: port ${port} (ZooKeeper client port) is already in use by another program; set ARCHON_ZK_PORT to a free port`,
    ]);
    expect(fs.existsSync(path.join(runDir, 'zookeeper', 'zookeeper.pid'))).toBe(
      false,
    );
  });

  it('makes the library reject with a ClusterError', async () => {
    await expect(
      startService('kafka', {
        runDir,
        ports: { kafka: port, kafkaController: await findFreePort() },
      }),
    ).rejects.toMatchObject({
      name: 'ClusterError',
      message: expect.stringContaining(`port ${port} (Kafka broker port)`),
    });
  });
});
