/** What every list of the API answers: one page and the cursor of the next. */
export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

/**
 * Reads a list to its end by following `nextCursor` from the first page: the
 * items of all pages in order, with the other fields of the last page (its
 * `total`, `stale`, ...) and no `nextCursor`. `maxItems` stops early (then
 * `nextCursor` is kept, so callers can say there is more).
 */
export async function followCursors<T, P extends ListPage<T>>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  options: { maxItems?: number; cursor?: string } = {},
): Promise<P> {
  const items: T[] = [];
  let cursor = options.cursor;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    const { nextCursor, ...rest } = page;
    if (!nextCursor) return { ...(rest as P), items };
    if (options.maxItems !== undefined && items.length >= options.maxItems) {
      return { ...(rest as P), items, nextCursor };
    }
    if (nextCursor === cursor)
      throw new Error(`the list repeated its cursor ${nextCursor}`);
    cursor = nextCursor;
  }
}
