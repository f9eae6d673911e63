import { InputError } from '@backstage/errors';
import { decodeCursor, type CursorKey } from './cursor';
import { strQuery } from '../queryValues';

/** The one maximum page size of every list of the API; larger is a 400 naming `limit`. */
export const MAX_PAGE_LIMIT = 1000;

/** A list's paging request, parsed: page size, where the previous page ended, and the order. */
export interface PageQuery<S extends string = string> {
  limit: number;
  /** The last item of the previous page; absent for the first page. */
  after?: CursorKey;
  sort: S;
  order: 'asc' | 'desc';
}

/** How one list pages: its default page size and, where it offers sorting, the fields it sorts by. */
export interface PageQueryOptions<S extends string> {
  /** Page size without `limit` (at most MAX_PAGE_LIMIT). */
  defaultLimit: number;
  /** The fields `sort` accepts; the first is the default. */
  sortFields: readonly [S, ...S[]];
  defaultOrder?: 'asc' | 'desc';
  /** What the list holds, for messages ("topics"). */
  what?: string;
}

/** Query names of the paging schemes that `limit` + `cursor` replaced; a 400 names the new one. */
const RETIRED = ['offset', 'before'] as const;

/**
 * Parses `limit`, `cursor`, `sort` and `order` of a list request. Every list
 * route uses this, so they all answer the same 400s: `limit` outside
 * 1..MAX_PAGE_LIMIT, a `cursor` archon did not give out, an unknown `sort`,
 * and the retired `offset`/`before`.
 */
export function parsePageQuery<S extends string>(
  query: Record<string, unknown>,
  options: PageQueryOptions<S>,
): PageQuery<S> {
  for (const name of RETIRED) {
    if (query[name] !== undefined) throw retiredParameter(name);
  }
  return {
    limit: parseLimit(query.limit, options.defaultLimit),
    after: decodeCursor(query.cursor, options.what),
    sort: parseSort(query.sort, options.sortFields),
    order: parseOrder(query.order, options.defaultOrder ?? 'asc'),
  };
}

/** The 400 for `offset`/`before`: lists page with `limit` and `cursor` only. */
export function retiredParameter(name: string): InputError {
  return new InputError(
    `"${name}" is no longer a paging parameter: page with "cursor" (the nextCursor of the previous answer) and "limit"`,
  );
}

function parseLimit(value: unknown, defaultLimit: number): number {
  if (value === undefined || value === '')
    return Math.min(defaultLimit, MAX_PAGE_LIMIT);
  const limit = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InputError(
      `"limit" must be a whole number from 1 to ${MAX_PAGE_LIMIT}, not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return limit;
}

function parseSort<S extends string>(
  value: unknown,
  fields: readonly [S, ...S[]],
): S {
  if (value === undefined || value === '') return fields[0];
  if (typeof value !== 'string' || !fields.includes(value as S)) {
    throw new InputError(
      `"sort" must be one of ${fields.join(', ')}, not ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value as S;
}

function parseOrder(
  value: unknown,
  defaultOrder: 'asc' | 'desc',
): 'asc' | 'desc' {
  if (value === undefined || value === '') return defaultOrder;
  if (value !== 'asc' && value !== 'desc')
    throw new InputError(
      `"order" must be asc or desc, not ${JSON.stringify(value)}`,
    );
  return value;
}

/** Page size of a filtered list without `limit`. */
export const LIST_PAGE_LIMIT = 100;

/**
 * A filtered list's request: `filter` (each list matches it to its names)
 * and its paging (`limit` default LIST_PAGE_LIMIT). The topic, consumer
 * group and connector lists read these the same way, with the same 400s.
 */
export function parseListQuery<S extends string>(
  query: Record<string, unknown>,
  options: Omit<PageQueryOptions<S>, 'defaultLimit'>,
): { filter?: string; page: PageQuery<S> } {
  return {
    filter: strQuery(query.filter),
    page: parsePageQuery(query, { defaultLimit: LIST_PAGE_LIMIT, ...options }),
  };
}
