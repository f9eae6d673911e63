import { randomBytes } from 'node:crypto';
import { ensureLocalCluster } from '@archon/local-cluster';
import knexFactory, { type Knex } from 'knex';

/** A private PostgreSQL database on the local cluster's server, dropped afterwards. */
export async function privatePostgres(
  prefix: string,
): Promise<{ db: Knex; drop(): Promise<void> }> {
  const cluster = await ensureLocalCluster({ withPostgres: true });
  const admin = knexFactory({
    client: 'pg',
    connection: cluster.postgres!.connectionString,
  });
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin.raw(`create database ${name}`);
  const url = new URL(cluster.postgres!.connectionString);
  url.pathname = `/${name}`;
  const db = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    db,
    async drop() {
      await db.destroy();
      await admin.raw(`drop database if exists ${name}`);
      await admin.destroy();
    },
  };
}

/** An in-memory SQLite database (the other engine Backstage runs on). */
export async function memorySqlite(): Promise<{
  db: Knex;
  drop(): Promise<void>;
}> {
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  return { db, drop: () => db.destroy() };
}
