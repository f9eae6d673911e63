import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Config } from '@backstage/config';
import { UpstreamTimeoutError, withDeadline } from '@archon/plugin-archon-node';

/** `archon.database.requestTimeoutSeconds` when unset. */
export const DEFAULT_DATABASE_REQUEST_TIMEOUT_MS = 10_000;

/** The database budget of one request: set by its first database call. */
interface Scope {
  deadline?: number;
  /** The answer is sent: what still runs in the scope is background work. */
  closed?: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Opens the database scope of each request: all the database work one
 * request does shares one deadline, counted from its first call, however
 * many queries it runs (the driver's `query_timeout` is per query, so a
 * request of two queries could take twice that).
 */
export function databaseRequestScope(): RequestHandler {
  return (_req, res, next) => {
    const scope: Scope = {};
    res.once('close', () => {
      scope.closed = true;
    });
    scopes.run(scope, next);
  };
}

/**
 * Runs `work` outside any request's database scope: for work a request
 * starts that goes on after it (following a deploy), whose database calls
 * each get the whole deadline instead of what is left of the request's.
 */
export function outsideRequestScope<T>(work: () => T): T {
  return scopes.exit(work);
}

/**
 * Runs `work` with a database deadline of its own, inside a request too: for
 * work that is not part of answering, like each page of a streamed export
 * whose answer is already under way.
 */
export function withOwnDatabaseScope<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run({}, work);
}

/**
 * The one deadline for archon's own database: store methods run their
 * queries through {@link DatabaseDeadline.run}. Past the request's deadline
 * the caller gets a 504 "archon's database did not answer in time (…)",
 * whatever the pool or the driver still wait for; the abandoned query ends
 * by itself at the driver's timeouts (`query_timeout`,
 * `acquireConnectionTimeout`) and its outcome is ignored. Outside a request
 * (background work) each call gets the whole deadline.
 */
export class DatabaseDeadline {
  readonly ms: number;

  constructor(ms: number = DEFAULT_DATABASE_REQUEST_TIMEOUT_MS) {
    this.ms = ms;
  }

  static fromConfig(config: Config): DatabaseDeadline {
    const seconds = config.getOptionalNumber(
      'archon.database.requestTimeoutSeconds',
    );
    return new DatabaseDeadline(
      seconds === undefined ? undefined : seconds * 1000,
    );
  }

  /** `what` says what archon was doing, e.g. `list the audit log`. */
  run<T>(what: string, work: () => PromiseLike<T>): Promise<T> {
    const open = scopes.getStore();
    const scope = open && !open.closed ? open : undefined;
    const now = Date.now();
    const deadline = scope ? (scope.deadline ??= now + this.ms) : now + this.ms;
    const late = () =>
      new UpstreamTimeoutError(
        `archon's database did not answer in time (within ${
          this.ms / 1000
        } s, while trying to ${what}); retry later`,
      );
    if (deadline <= now) return Promise.reject(late());
    return withDeadline(Promise.resolve(work()), deadline - now, late);
  }
}
