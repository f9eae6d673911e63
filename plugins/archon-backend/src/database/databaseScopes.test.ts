/*
 * The database deadline's scopes: the calls of one request share one budget
 * of database time, work that outlives the request does not inherit what is
 * left of it, and a deploy followed from another replica (its flow in a real
 * SQLite file) is streamed to its end however long it runs (each poll has
 * its own deadline).
 */
import { mockServices } from '@backstage/backend-test-utils';
import type { ConfigService } from '../config/ConfigService';
import type { DeployFlowView } from '../deploy/DeployFlow';
import { FlowQueries } from '../deploy/flowQueries';
import { DeployFlowStore } from '../deploy/store/DeployFlowStore';
import {
  sharedSqliteFile,
  type SharedTestDatabase,
} from '../__testUtils__/sharedTestDatabase';
import {
  DatabaseDeadline,
  outsideRequestScope,
  withOwnDatabaseScope,
} from './DatabaseDeadline';

jest.setTimeout(60_000);

const DEADLINE_MS = 400;
let database: SharedTestDatabase;

beforeAll(async () => {
  database = await sharedSqliteFile();
});

afterAll(async () => {
  await database?.drop();
});

const pause = (ms: number) => new Promise(r => setTimeout(r, ms));

it("gives the calls of a request one budget of database time, and work outside it each call's own", async () => {
  const deadline = new DatabaseDeadline(DEADLINE_MS);
  // Any awaited work run through the deadline counts as waiting for the database.
  const wait = (ms: number) =>
    deadline.run('read', () => pause(ms).then(() => 'done'));
  await withOwnDatabaseScope(async () => {
    await expect(wait(250)).resolves.toBe('done');
    // Time spent elsewhere (another system, computing) does not count.
    await pause(DEADLINE_MS);
    await expect(wait(50)).resolves.toBe('done');
    // About 100 ms of the budget left: this wait is cut there, naming the database.
    const started = Date.now();
    await expect(wait(5000)).rejects.toThrow(
      /^archon's database did not answer in time \(within 0.4 s, while trying to read\)/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    // Nothing left: refused at once.
    await expect(wait(1)).rejects.toThrow(/did not answer in time/);
    // Started by the request, running after it: not held to its budget.
    await expect(outsideRequestScope(() => wait(250))).resolves.toBe('done');
  });
});

it("streams a flow another replica runs to its end, past the request's database deadline", async () => {
  const store = new DeployFlowStore(
    database.connect(),
    new DatabaseDeadline(DEADLINE_MS),
  );
  const view: DeployFlowView = {
    id: 'rel-remote-1',
    kind: 'deploy',
    status: 'running',
    instance: 'local',
    targetKind: 'marathon',
    workloadId: '/remote/svc',
    configPath: '/remote/svc',
    actor: 'someone',
    startedAt: new Date().toISOString(),
  };
  await store.save(view, 'another-replica');
  const queries = new FlowQueries({
    flows: new Map(),
    flowStore: store,
    config: {} as ConfigService,
    remotePollMs: 100,
    logger: mockServices.logger.mock(),
  });
  let ended: DeployFlowView | undefined;
  // Watched from a request whose database deadline runs out long before the flow ends.
  const stop = await withOwnDatabaseScope(() =>
    queries.watch(
      view.id,
      0,
      () => undefined,
      v => {
        ended = v;
      },
    ),
  );
  try {
    await pause(3 * DEADLINE_MS);
    await store.save(
      { ...view, status: 'succeeded', finishedAt: new Date().toISOString() },
      'another-replica',
    );
    const until = Date.now() + 10_000;
    while (!ended && Date.now() < until) await pause(50);
    expect(ended).toMatchObject({ id: view.id, status: 'succeeded' });
  } finally {
    stop();
  }
});
