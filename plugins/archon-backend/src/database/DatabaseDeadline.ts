import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { Config } from '@backstage/config';
import { UpstreamTimeoutError, withDeadline } from '@archon/plugin-archon-node';

/** `archon.database.requestTimeoutSeconds` when unset. */
export const DEFAULT_DATABASE_REQUEST_TIMEOUT_MS = 10_000;

/** The database budget of one request. */
interface Scope {
  /** How long the request has waited for the database so far (ms). */
  spent: number;
  /** The answer is sent: what still runs in the scope is background work. */
  closed?: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * Opens the database scope of each request: the request waits for the
 * database at most the deadline in all, however many queries it runs (the
 * driver's `query_timeout` is per query, so a request of two queries could
 * take twice that). Only the time spent waiting for the database counts:
 * a request that also waits for an orchestrator or ZooKeeper between its
 * queries is not cut short for that.
 */
export function databaseRequestScope(): RequestHandler {
  return (_req, res, next) => {
    const scope: Scope = { spent: 0 };
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
  return scopes.run({ spent: 0 }, work);
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
    const budget = this.ms - (scope?.spent ?? 0);
    const late = () =>
      new UpstreamTimeoutError(
        `archon's database did not answer in time (within ${
          this.ms / 1000
        } s, while trying to ${what}); retry later`,
      );
    if (budget <= 0) return Promise.reject(late());
    const started = Date.now();
    let cut = false;
    const cutHere = () => {
      cut = true;
      return late();
    };
    // Calls run side by side both count in full: the budget errs on the short side.
    return withDeadline(Promise.resolve(work()), budget, cutHere).finally(
      () => {
        if (!scope) return;
        // A call cut at the deadline used the whole budget: the timer fires
        // on the millisecond and Date.now() may say one less, which would
        // leave 1 ms for the next call instead of refusing it at once.
        scope.spent = cut ? this.ms : scope.spent + Date.now() - started;
      },
    );
  }
}
