/*
 * The database deadline's scopes on a real (SQLite file) database: the calls
 * of one request share one deadline, work that outlives the request does not
 * inherit what is left of it, and a deploy followed from another replica is
 * streamed to its end however long it runs (each poll has its own deadline).
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

it("shares one deadline between the calls of a request, and gives work outside it each call's own", async () => {
  const deadline = new DatabaseDeadline(DEADLINE_MS);
  const db = database.connect();
  const query = () => deadline.run('read', () => db.raw('select 1'));
  await withOwnDatabaseScope(async () => {
    await query();
    await pause(DEADLINE_MS + 100);
    // The request's deadline is over: refused at once, naming the database.
    await expect(query()).rejects.toThrow(
      /^archon's database did not answer in time \(within 0.4 s, while trying to read\)/,
    );
    // Started by the request, running after it: not held to its deadline.
    await expect(outsideRequestScope(() => query())).resolves.toBeDefined();
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
