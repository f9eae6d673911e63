import type { LoggerService } from '@backstage/backend-plugin-api';
import { withOwnDatabaseScope } from './DatabaseDeadline';

/** How long after a failed attempt a write is tried again. */
const RETRY_MS = 2000;

/**
 * Writes a record of something that has already happened (a deploy's
 * outcome) until archon's database takes it: tried every {@link RETRY_MS},
 * each attempt under a database deadline of its own (not that of the request
 * that started it, long over). Resolves once stored. The attempts live in
 * this backend process: one that stops before the database is back leaves
 * the record to the next start's reconciliation (open releases are settled
 * from the orchestrator then).
 */
export async function untilStored(
  write: () => Promise<void>,
  options: { logger: LoggerService; what: string },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await new Promise(resolve => setTimeout(resolve, RETRY_MS).unref());
    try {
      await withOwnDatabaseScope(write);
      options.logger.info(
        `archon: stored ${options.what} after ${attempt} more attempt${
          attempt === 1 ? '' : 's'
        }`,
      );
      return;
    } catch {
      // Still away: try again.
    }
  }
}
