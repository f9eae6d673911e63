import type { Command } from 'commander';
import { followCursors, type ListPage } from '@archon/plugin-archon-common';
import { UsageError } from './errors';
import { intArg } from './runtime';

/** The one maximum page size of the API (a larger --limit is refused here, in CLI terms). */
export const MAX_LIMIT = 1000;

/** `--limit`, `--cursor` and `--all` as a list command receives them. */
export interface PageFlags {
  limit: number;
  cursor?: string;
  all?: boolean;
}

/** Adds the paging flags every list command has: one page of --limit, or --all pages. */
export function withPageFlags(
  command: Command,
  defaultLimit = 100,
  /** A short flag the command had for --limit before, e.g. `-n`. */
  short?: string,
): Command {
  return command
    .option(
      `${short ? `${short}, ` : ''}--limit <n>`,
      `items per page, 1 to ${MAX_LIMIT} (default ${defaultLimit})`,
      limitArg,
      defaultLimit,
    )
    .option(
      '--cursor <cursor>',
      'continue after an earlier page (the cursor it printed)',
    )
    .option('--all', 'follow the cursors and list every page');
}

function limitArg(value: string): number {
  const n = intArg('--limit', { min: 1 })(value);
  if (n > MAX_LIMIT)
    throw new UsageError(
      `--limit must be at most ${MAX_LIMIT}, not "${value}"`,
    );
  return n;
}

/**
 * Reads a list the way its flags say: one page (from --cursor), or with
 * --all every page, following nextCursor. The answer is the list's own
 * shape; with --all it has every item and no nextCursor.
 */
export function readPages<T, P extends ListPage<T>>(
  flags: PageFlags,
  fetchPage: (page: { limit: number; cursor?: string }) => Promise<P>,
): Promise<P> {
  const read = (cursor: string | undefined) =>
    fetchPage({ limit: flags.limit, ...(cursor && { cursor }) });
  return flags.all
    ? followCursors(read, { cursor: flags.cursor })
    : read(flags.cursor);
}

/** The line under a table when more pages follow: how to get them. */
export function morePagesHint(page: ListPage<unknown>): string | undefined {
  if (!page.nextCursor) return undefined;
  const of = page.total !== undefined ? ` of ${page.total}` : '';
  return `${page.items.length}${of} shown; next page with --cursor ${page.nextCursor}, or every page with --all`;
}
