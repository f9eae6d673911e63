import type { Knex } from 'knex';
import {
  memorySqlite,
  privatePostgres,
} from '../__testUtils__/privatePostgres';
import { AuditStore } from './AuditStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { ReleaseStore } from '../deploy/store/ReleaseStore';
import type { ConfigService } from '../config/ConfigService';
import {
  buildTimeline,
  formatTimelineCursor,
  parseTimelineCursor,
  type TimelineCursor,
} from './timeline';

jest.setTimeout(120_000);

const PATH = '/tl/app';
const TIE = '2026-11-25T10:00:00.123Z';
const OLDER = '2026-11-25T09:59:59.000Z';

describe.each([
  ['SQLite', memorySqlite],
  ['PostgreSQL', () => privatePostgres('archon_timeline')],
])('an app timeline on %s', (_name, open) => {
  let handle: { db: Knex; drop(): Promise<void> };
  let auditStore: AuditStore;
  let config: ConfigService;

  beforeAll(async () => {
    handle = await open();
    await migrateDatabase({
      getClient: async () => handle.db,
      migrations: { skip: false },
    });
    auditStore = new AuditStore(handle.db);
    const releases = new ReleaseStore(handle.db);
    // Only what the timeline reads; the app's configuration does not resolve, so no named resources.
    config = {
      ensemble: () => ({ config: { name: 'local' } }),
      effective: async () => Promise.reject(new Error('no configuration')),
      listReleases: (options: Parameters<ReleaseStore['list']>[0]) =>
        releases.list(options),
    } as unknown as ConfigService;
    // Five entries and three releases in one millisecond, the rest earlier.
    for (const [i, time] of [TIE, TIE, OLDER, TIE, TIE, TIE, OLDER].entries()) {
      await auditStore.add({
        time,
        actor: 'user:default/alice',
        action: `app-scale-${i}`,
        target: {
          system: 'deploy',
          cluster: 'local',
          resource: PATH,
          configPath: PATH,
        },
        outcome: 'success',
      });
    }
    for (const [id, time] of [
      ['r-b', TIE],
      ['r-a', OLDER],
      ['r-c', TIE],
      ['r-a2', TIE],
    ]) {
      await releases.create({
        id,
        ensemble: 'local',
        path: PATH,
        target: { instance: 'local' },
        createdBy: 'user:default/alice',
        createdAt: time,
        properties: { v: id },
        provenance: {},
        versions: {},
        status: 'deployed',
        updatedAt: time,
      });
    }
  });

  afterAll(async () => {
    await handle?.drop();
  });

  const label = (item: {
    kind: string;
    action: string;
    release?: { id: string };
  }) => (item.kind === 'release' ? `release ${item.release!.id}` : item.action);

  async function page(limit: number, cursor?: string) {
    const answer = await buildTimeline({
      auditStore,
      config,
      secretPatterns: [],
      configPath: PATH,
      after: cursor ? parseTimelineCursor(cursor) : undefined,
      limit,
      maxNames: 10,
    });
    return { labels: answer.items.map(label), nextCursor: answer.nextCursor };
  }

  it('orders items of one millisecond by kind and id, newest first', async () => {
    const all = await page(100);
    expect(all.labels).toEqual([
      'app-scale-5',
      'app-scale-4',
      'app-scale-3',
      'app-scale-1',
      'app-scale-0',
      'release r-c',
      'release r-b',
      'release r-a2',
      'app-scale-6',
      'app-scale-2',
      'release r-a',
    ]);
    expect(all.nextCursor).toBeUndefined();
  });

  it.each([1, 2, 3, 4, 5])(
    'pages %i at a time without skipping or repeating tied items',
    async limit => {
      const { labels: expected } = await page(100);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages <= expected.length; pages++) {
        const next = await page(limit, cursor);
        seen.push(...next.labels);
        cursor = next.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(expected);
    },
  );
});

describe('timeline cursors', () => {
  it('round-trip, and anything else is a 400 that says what a cursor is', () => {
    const cursor: TimelineCursor = { time: TIE, kind: 'release', id: 'r-b' };
    expect(parseTimelineCursor(formatTimelineCursor(cursor))).toEqual(cursor);
    for (const bad of [
      'abc',
      '',
      Buffer.from('["x","audit","1"]').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ]) {
      expect(() => parseTimelineCursor(bad)).toThrow(
        /^"cursor" must be the nextCursor of an earlier page/,
      );
    }
  });
});
