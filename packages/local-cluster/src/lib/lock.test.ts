import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ourProcesses } from '../cluster';
import { stopLocalCluster } from '../index';
import { runCli } from '../testUtils/cli';
import { acquireLock, readLockOwner, withLock } from './lock';
import { findFreePort } from './ports';
import { isProcessAlive, sleep } from './process';
import { readPidFile, readState } from './state';

jest.setTimeout(180_000);

describe('run folder lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lets one holder in at a time', async () => {
    const lockDir = path.join(dir, '.lock');
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(n =>
        withLock(lockDir, { purpose: `worker ${n}` }, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(100);
          order.push(n);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([1, 2, 3]);
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  it('breaks a lock whose holder died', async () => {
    const lockDir = path.join(dir, '.lock');
    fs.mkdirSync(lockDir);
    const deadPid = 2 ** 22 + 12345; // above the default pid_max: never alive
    expect(isProcessAlive(deadPid)).toBe(false);
    fs.writeFileSync(
      path.join(lockDir, 'owner.json'),
      JSON.stringify({
        pid: deadPid,
        host: os.hostname(),
        token: 'old',
        purpose: 'crashed start',
      }),
    );
    const lock = await acquireLock(lockDir, {
      purpose: 'test',
      timeoutMs: 5_000,
    });
    expect(readLockOwner(lockDir)?.pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(lockDir)).toBe(false);
  });

  it('times out with a one-line message while a live holder keeps it', async () => {
    const lockDir = path.join(dir, '.lock');
    const held = await acquireLock(lockDir, { purpose: 'long job' });
    await expect(
      acquireLock(lockDir, { purpose: 'impatient', timeoutMs: 500 }),
    ).rejects.toThrow(/waiting for the lock .* held by pid \d+ \(long job\)/);
    held.release();
  });
});

describe('two concurrent starts', () => {
  let runDir: string;
  afterEach(async () => {
    await stopLocalCluster([], { runDir });
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('end up with one ZooKeeper, started once and reused once', async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-concurrent-'));
    const env = {
      ARCHON_RUN_DIR: runDir,
      ARCHON_ZK_PORT: String(await findFreePort()),
      ARCHON_ZK_ADMIN_PORT: String(await findFreePort()),
    };
    const [a, b] = await Promise.all([
      runCli(['start', 'zookeeper'], env),
      runCli(['start', 'zookeeper'], env),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const logs = [a.stderr, b.stderr];
    expect(logs.filter(l => /zookeeper: healthy on/.test(l))).toHaveLength(1);
    expect(logs.filter(l => /zookeeper: already running/.test(l))).toHaveLength(
      1,
    );

    const pid = readPidFile(runDir, 'zookeeper');
    expect(pid).toBeDefined();
    expect(readState(runDir).services.zookeeper?.pid).toBe(pid);
    expect(ourProcesses('zookeeper', { runDir })).toEqual([pid]);
    // Both reported the same process.
    expect(
      `${a.stderr}${b.stderr}`.match(new RegExp(`pid ${pid}\\b`, 'g')),
    ).toHaveLength(2);
  });
});
