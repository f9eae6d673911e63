import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, waitFor } from './__testUtils__/testKit';

jest.setTimeout(120_000);

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('persistence and shutdown', () => {
  const dataDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'local-marathon-persist-'),
  );

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps apps and versions across a restart, relaunches their tasks, and kills tasks on close', async () => {
    const first = await startTestServer({
      dataDir,
      portRange: { min: 33700, max: 33799 },
    });
    let pids: number[] = [];
    try {
      const created = await first.api.post('/v2/apps', {
        id: '/keep/me',
        cmd: 'sleep 600',
        instances: 2,
        cpus: 0.1,
        mem: 16,
      });
      expect(created.status).toBe(201);
      await first.api.put('/v2/apps/keep/me', { labels: { a: 'b' } });
      await first.api.waitForDeployments();
      const info = await first.api.get('/ping');
      expect(info.text).toBe('pong');
      const tasks = (await first.api.get('/v2/apps/keep/me/tasks')).body.tasks;
      expect(tasks).toHaveLength(2);
      // Running task processes are recorded (debounced) for orphan reaping
      // after a crash; the record catches up with the running tasks.
      pids = await waitFor(
        () => {
          const recorded: number[] = JSON.parse(
            fs.readFileSync(path.join(dataDir, 'processes.json'), 'utf8'),
          ).map((p: { pid: number }) => p.pid);
          return recorded.length === 2 && recorded.every(processExists)
            ? recorded
            : undefined;
        },
        10_000,
        'recorded processes',
      );
      expect(pids.every(processExists)).toBe(true);
    } finally {
      await first.stop();
    }
    // Graceful shutdown killed the task process groups.
    await waitFor(
      () => pids.every(pid => !processExists(pid)),
      10_000,
      'tasks to be gone',
    );

    const second = await startTestServer({
      dataDir,
      portRange: { min: 33700, max: 33799 },
    });
    try {
      const versions = await second.api.get('/v2/apps/keep/me/versions');
      expect(versions.body.versions).toHaveLength(2);
      const app = await waitFor(
        async () => {
          const current = await second.api.app('/keep/me');
          return current.tasksRunning === 2 ? current : undefined;
        },
        30_000,
        'relaunched tasks',
      );
      expect(app.labels).toEqual({ a: 'b' });
      const group = await second.api.get('/v2/groups/keep');
      expect(group.body.apps.map((a: { id: string }) => a.id)).toEqual([
        '/keep/me',
      ]);
    } finally {
      await second.stop();
    }
  });
});
