import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrateDatabase } from '../database/migrateDatabase';
import { privatePostgres } from './privatePostgres';

/**
 * One migrated database that several backend replicas share, each through its
 * own client (its own connections, as separate processes would have).
 */
export interface SharedTestDatabase {
  /** A new client of the database, for one replica. */
  connect(): Knex;
  /** Closes every client and removes the database. */
  drop(): Promise<void>;
}

async function shared(
  config: Knex.Config,
  drop: () => Promise<void>,
): Promise<SharedTestDatabase> {
  const clients: Knex[] = [];
  const connect = () => {
    const client = knexFactory(config);
    clients.push(client);
    return client;
  };
  await migrateDatabase({
    getClient: async () => connect(),
    migrations: { skip: false },
  });
  return {
    connect,
    async drop() {
      await Promise.all(clients.map(c => c.destroy()));
      await drop();
    },
  };
}

/** SQLite in a temporary file (an in-memory database cannot be shared between clients). */
export function sharedSqliteFile(): Promise<SharedTestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-db-'));
  return shared(
    {
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'archon.sqlite') },
      useNullAsDefault: true,
    },
    async () => fs.rmSync(dir, { recursive: true, force: true }),
  );
}

/** A private PostgreSQL database on the local cluster's server (:5433). */
export async function sharedPostgres(
  prefix: string,
): Promise<SharedTestDatabase> {
  const database = await privatePostgres(prefix);
  return shared(database.db.client.config, database.drop);
}
