import knexFactory from 'knex';
import { SampleStore } from './SampleStore';

describe('SampleStore', () => {
  it('rates topics between the two latest samples, all or only those asked for', async () => {
    // SQLite in memory, with the package's real migrations.
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const store = await SampleStore.create({ getClient: async () => db });
    const sample = (at: number, orders: number, payments: number) =>
      store.insertTopicSamples('local', at, [
        { topic: 'orders', endOffsetSum: orders, startOffsetSum: 0 },
        { topic: 'payments', endOffsetSum: payments, startOffsetSum: 0 },
      ]);
    expect(await store.topicRates('local')).toEqual(new Map());
    await sample(1_000, 0, 0);
    // One sample is no rate yet.
    expect(await store.topicRates('local')).toEqual(new Map());
    await sample(11_000, 50, 10);
    await sample(21_000, 150, 10);
    // Between the two latest (11 s and 21 s): 100 messages in 10 s.
    expect(await store.topicRates('local')).toEqual(
      new Map([
        ['orders', 10],
        ['payments', 0],
      ]),
    );
    expect(await store.topicRates('local', ['orders'])).toEqual(
      new Map([['orders', 10]]),
    );
    expect(await store.topicRates('local', [])).toEqual(new Map());
    expect(await store.topicRates('other')).toEqual(new Map());
    await db.destroy();
  });
});
