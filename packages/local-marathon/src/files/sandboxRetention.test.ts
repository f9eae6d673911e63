import { parseDuration } from '../options';
import {
  readSandboxFile,
  startTestServer,
  waitFor,
  type TestServer,
} from '../__testUtils__/testKit';

jest.setTimeout(120_000);

interface MesosTask {
  id: string;
  state: string;
  statuses: Array<{ state: string; message?: string }>;
}
interface Executor {
  id: string;
  directory: string;
  completed_tasks: MesosTask[];
}

/**
 * Finished tasks keep their sandboxes for a while, like on a Mesos agent:
 * the agent's /state lists them under completed_executors with their final
 * status, and /files/read serves their stderr; past the per-app budget (or
 * the retention window) the oldest go.
 */
describe('finished tasks keep their sandboxes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      sandboxesPerApp: 2,
      sandboxRetentionMs: 60_000,
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const completed = async (): Promise<Executor[]> => {
    const { body } = await server.api.get('/state');
    return body.frameworks[0].completed_executors;
  };

  it('lists a crashed task with its exit message and serves its stderr; keeps only the newest per app', async () => {
    const put = await server.api.put('/v2/apps/crash', {
      id: '/crash',
      cmd: 'echo "boom $MESOS_TASK_ID" >&2; exit 3',
      instances: 1,
      cpus: 0.1,
      mem: 32,
      // Slow enough that the first crash's sandbox is read before two more crashes collect it.
      backoffSeconds: 3,
      backoffFactor: 1,
    });
    expect(put.status).toBeLessThan(300);
    // Three crashes: only two sandboxes stay.
    const first = await waitFor(
      async () => {
        const ended = await completed();
        return ended.length >= 1 ? ended[0] : undefined;
      },
      30_000,
      'a finished task',
    );
    expect(first.completed_tasks[0]).toMatchObject({
      state: 'TASK_FAILED',
      statuses: [
        expect.objectContaining({
          state: 'TASK_FAILED',
          message: 'Command exited with status 3',
        }),
      ],
    });
    expect(await readSandboxFile(server.api, `${first.directory}/stderr`)).toBe(
      `boom ${first.id}\n`,
    );

    await waitFor(
      async () => {
        const { body } = await server.api.get('/v2/apps/crash');
        return body.app.lastTaskFailure &&
          body.app.lastTaskFailure.taskId !== first.id
          ? true
          : undefined;
      },
      45_000,
      'a second crash',
    );
    await waitFor(
      async () => {
        const { body } = await server.api.get('/v2/apps/crash');
        const ids = (await completed()).map(e => e.id);
        // A third crash has happened once the last failure is neither of the first two.
        return ids.length === 2 &&
          !ids.includes(first.id) &&
          ids.includes(body.app.lastTaskFailure.taskId)
          ? true
          : undefined;
      },
      60_000,
      'the oldest sandbox to be collected',
    );
    // The listing drops a collected sandbox at once; its directory is removed in the background just after.
    const gone = await waitFor(
      async () => {
        const read = await server.api.get(
          `/files/read?path=${encodeURIComponent(
            `${first.directory}/stderr`,
          )}&offset=0`,
        );
        return read.status === 200 ? undefined : read;
      },
      10_000,
      'the collected sandbox to be removed',
    );
    expect(gone.status).toBe(404);
  });

  it('reads ARCHON_MARATHON_SANDBOX_RETENTION style durations', () => {
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration(undefined)).toBeUndefined();
    expect(() => parseDuration('soon')).toThrow(/Invalid duration 'soon'/);
  });
});
