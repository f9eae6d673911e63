import type { Knex } from 'knex';
import {
  memorySqlite,
  privatePostgres,
} from '../__testUtils__/privatePostgres';
import { AuditStore, type AuditEntry } from './AuditStore';
import { migrateDatabase } from '../database/migrateDatabase';

jest.setTimeout(120_000);

function entry(
  resource: string,
  overrides: Partial<Omit<AuditEntry, 'id'>> = {},
): Omit<AuditEntry, 'id'> {
  return {
    time: '2026-11-25T10:00:00.000Z',
    actor: 'user:default/alice',
    action: 'config-set-put',
    target: {
      system: 'config',
      cluster: 'local',
      resource,
      configPath: resource,
    },
    outcome: 'success',
    after: { properties: { a: '1' } },
    requestId: 'r-1',
    ...overrides,
  };
}

describe.each([
  ['SQLite', memorySqlite],
  ['PostgreSQL', () => privatePostgres('archon_audit')],
])('AuditStore on %s', (_name, open) => {
  let handle: { db: Knex; drop(): Promise<void> };
  let store: AuditStore;

  beforeAll(async () => {
    handle = await open();
    await migrateDatabase({
      getClient: async () => handle.db,
      migrations: { skip: false },
    });
    store = new AuditStore(handle.db);
    await store.add(entry('/team_a/app', { time: '2026-11-25T09:00:00.000Z' }));
    await store.add(entry('/teamXa/app'));
    await store.add(
      entry('/team_a/app', {
        outcome: 'failure',
        error: 'stale',
        actor: 'user:default/bob',
      }),
    );
    await store.add(
      entry('orders', {
        action: 'topic-delete',
        target: { system: 'kafka', cluster: 'local', resource: 'orders' },
      }),
    );
  });

  afterAll(async () => {
    await handle?.drop();
  });

  it('lists newest first and reads back what was written', async () => {
    const items = await store.list({ limit: 10 });
    expect(items.map(e => e.target.resource)).toEqual([
      'orders',
      '/team_a/app',
      '/teamXa/app',
      '/team_a/app',
    ]);
    expect(items[3]).toEqual({
      id: expect.any(String),
      ...entry('/team_a/app', { time: '2026-11-25T09:00:00.000Z' }),
    });
  });

  it('matches a target prefix literally and case-sensitively', async () => {
    const items = await store.list({ targetPrefix: '/team_a/', limit: 10 });
    expect(items.map(e => e.target.resource)).toEqual([
      '/team_a/app',
      '/team_a/app',
    ]);
    expect(await store.list({ targetPrefix: '/TEAM_A/', limit: 10 })).toEqual(
      [],
    );
  });

  it('filters by actor, outcome, time, and pages by id', async () => {
    expect(await store.list({ actor: 'user:default/bob', limit: 10 })).toEqual([
      expect.objectContaining({ outcome: 'failure', error: 'stale' }),
    ]);
    expect(
      await store.list({ until: new Date('2026-11-25T09:30:00Z'), limit: 10 }),
    ).toHaveLength(1);
    expect(
      await store.list({ since: new Date('2026-11-25T09:30:00Z'), limit: 10 }),
    ).toHaveLength(3);
    const [first] = await store.list({ limit: 1 });
    const rest = await store.list({ limit: 10, before: first.id });
    expect(rest.map(e => e.target.resource)).toEqual([
      '/team_a/app',
      '/teamXa/app',
      '/team_a/app',
    ]);
  });

  it('matches any of several system/path/resource combinations (timelines)', async () => {
    const items = await store.list({
      limit: 10,
      anyOf: [
        { systems: ['config'], configPaths: ['/teamXa/app'] },
        { systems: ['kafka'], resources: ['orders'] },
      ],
    });
    expect(items.map(e => e.target.resource)).toEqual([
      'orders',
      '/teamXa/app',
    ]);
    expect(await store.list({ limit: 10, anyOf: [] })).toEqual([]);
  });
});
