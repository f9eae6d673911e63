import { encodeCursor, type CursorKey } from './cursor';
import type { PageQuery } from './pageQuery';

/** One page of a list, as every list route of the API answers it. */
export interface Page<T> {
  items: T[];
  /** The `cursor` of the next page; absent on the last page. */
  nextCursor?: string;
  /** How many items the whole list holds (where that is cheap to know). */
  total?: number;
}

/** How to read an item's sort key: its id (unique, the tie-breaker) and the value of a sort field. */
export interface PageKeys<T, S extends string> {
  id(item: T): string;
  /** The value sorted by for `sort`; the id alone when absent. */
  value?(item: T, sort: S): string | number | null | undefined;
}

/**
 * Pages a list held in memory: sorts it by (sort value, id) in the asked
 * order, so pages are stable even when values repeat, keeps what comes after
 * the cursor and cuts `limit`. `total` is the length of the whole list.
 */
export function pageList<T, S extends string>(
  items: readonly T[],
  query: PageQuery<S>,
  keys: PageKeys<T, S>,
): Page<T> {
  const keyOf = (item: T): CursorKey => ({
    value: keys.value?.(item, query.sort) ?? null,
    id: keys.id(item),
  });
  const sign = query.order === 'desc' ? -1 : 1;
  const keyed = items.map(item => ({ item, key: keyOf(item) }));
  keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
  const after = query.after;
  const rest = after
    ? keyed.filter(k => sign * compareKeys(k.key, after) > 0)
    : keyed;
  const page = rest.slice(0, query.limit);
  return {
    items: page.map(k => k.item),
    ...(rest.length > query.limit && {
      nextCursor: encodeCursor(page[page.length - 1].key),
    }),
    total: items.length,
  };
}

/** The nextCursor of a page read from a keyed store with `limit + 1` rows: present only when the extra row came back. */
export function pageOfRows<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (item: T) => CursorKey,
): Omit<Page<T>, 'total'> {
  const items = rows.slice(0, limit);
  return {
    items,
    ...(rows.length > limit && {
      nextCursor: encodeCursor(keyOf(items[items.length - 1])),
    }),
  };
}

/** Order of sort keys: null first, numbers before strings, then by id. */
export function compareKeys(a: CursorKey, b: CursorKey): number {
  const byValue = compareValues(a.value, b.value);
  if (byValue !== 0) return byValue;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function compareValues(a: CursorKey['value'], b: CursorKey['value']): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  return a < b ? -1 : 1;
}
