import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { UpstreamTimeoutError } from '@archon/plugin-archon-node';
import { randomUUID } from 'node:crypto';
import { withOwnDatabaseScope } from '../../database/DatabaseDeadline';
import type {
  ConfigHistoryEntry,
  KeyedHistoryEntry,
} from './ConfigHistoryStore';

/** How long after a failed attempt kept entries are tried again. */
const RETRY_MS = 2000;

/**
 * The history of changes that already landed in ZooKeeper. A configuration
 * write checks that archon's database answers before it touches ZooKeeper,
 * but the database can still go away between the ZooKeeper write and the
 * history insert. ZooKeeper and the database share no transaction, so one
 * of two things can be done then: undo the change in ZooKeeper, or keep the
 * entry and record it later. Undoing is not safe: applications watching the
 * znode may already have read and acted on the new set, and the undo is
 * itself a write that can fail. So the entry is kept (in memory) and tried
 * again every {@link RETRY_MS} until the database takes it; each entry has a
 * key, so an earlier attempt that was given up on at the deadline but
 * lands afterwards does not make it appear twice. The caller gets a
 * 503/504 naming archon's database and saying that the change is written
 * and its history pending, never a 2xx for a change whose history is not
 * stored.
 *
 * What remains: the kept entries live in this backend process; if it stops
 * before the database is back, they are lost (an error is logged with each
 * kept entry, so an operator can see which). A durable outbox in ZooKeeper
 * (in the same multi as the change) would not fit: an entry holds the set
 * before and after, twice what ZooKeeper's 1 MB request limit leaves for a
 * set of archon's maximum size.
 */
export class LandedHistory {
  readonly #insert: (entries: KeyedHistoryEntry[]) => Promise<void>;
  readonly #logger?: LoggerService;
  readonly #kept = new Map<string, Omit<ConfigHistoryEntry, 'id'>>();
  #timer?: NodeJS.Timeout;

  constructor(options: {
    insert: (entries: KeyedHistoryEntry[]) => Promise<void>;
    logger?: LoggerService;
  }) {
    this.#insert = options.insert;
    this.#logger = options.logger;
  }

  /** How many entries wait for the database. */
  get pending(): number {
    return this.#kept.size;
  }

  async record(
    entries: Array<Omit<ConfigHistoryEntry, 'id'>>,
    change: { path: string; version?: number },
  ): Promise<void> {
    const keyed = entries.map(entry => ({ entry, key: randomUUID() }));
    try {
      await this.#insert(keyed);
    } catch (error) {
      for (const { entry, key } of keyed) {
        this.#kept.set(key, entry);
        this.#logger?.error(
          `archon: the history of ${entry.path} (${entry.action} by ${entry.actor}) waits for archon's database: ${error}`,
        );
      }
      this.#schedule();
      throw landedWithoutHistory(error, change);
    }
  }

  #schedule() {
    if (this.#timer || this.#kept.size === 0) return;
    this.#timer = setTimeout(() => this.#retry(), RETRY_MS);
    this.#timer.unref();
  }

  async #retry() {
    this.#timer = undefined;
    const batch = [...this.#kept].map(([key, entry]) => ({ key, entry }));
    try {
      // Not the deadline of the request that kept them (long over).
      await withOwnDatabaseScope(() => this.#insert(batch));
      for (const { key } of batch) this.#kept.delete(key);
      this.#logger?.info(
        `archon: recorded ${batch.length} configuration history entr${
          batch.length === 1 ? 'y' : 'ies'
        } that waited for archon's database`,
      );
    } catch {
      // Still away: try again later.
    }
    this.#schedule();
  }
}

function landedWithoutHistory(
  error: unknown,
  change: { path: string; version?: number },
): Error {
  const timedOut = error instanceof UpstreamTimeoutError;
  const message = `archon's database ${
    timedOut ? 'did not answer in time' : 'is not reachable'
  } (while recording the history of ${
    change.path
  }): the change itself was written to ZooKeeper${
    change.version !== undefined ? ` (version ${change.version})` : ''
  }; archon keeps its history entry and records it as soon as the database answers. Do not write it again: read the set to see it`;
  return timedOut
    ? new UpstreamTimeoutError(message)
    : new ServiceUnavailableError(message);
}
