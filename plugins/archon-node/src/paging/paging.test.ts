import { decodeCursor, encodeCursor } from './cursor';
import { pageList, pageOfRows } from './pageList';
import {
  LIST_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  parseListQuery,
  parsePageQuery,
} from './pageQuery';

const opts = {
  defaultLimit: 2,
  sortFields: ['name', 'size'] as const,
  what: 'things',
};

interface Thing {
  name: string;
  size: number | null;
}

const things: Thing[] = [
  { name: 'd', size: 1 },
  { name: 'a', size: 3 },
  { name: 'c', size: 1 },
  { name: 'b', size: null },
  { name: 'e', size: 3 },
];

const keys = {
  id: (t: Thing) => t.name,
  value: (t: Thing, sort: 'name' | 'size') =>
    sort === 'size' ? t.size : t.name,
};

/** Follows nextCursor from the first page to the last, as a client would. */
function walk(query: Record<string, unknown>): string[][] {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = pageList(
      things,
      parsePageQuery({ ...query, cursor }, opts),
      keys,
    );
    expect(page.total).toBe(things.length);
    pages.push(page.items.map(t => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('parsePageQuery', () => {
  it('has defaults', () => {
    expect(parsePageQuery({}, opts)).toEqual({
      limit: 2,
      after: undefined,
      sort: 'name',
      order: 'asc',
    });
  });

  it('answers 400 naming limit outside 1..1000', () => {
    for (const limit of ['0', '1001', '-1', '2.5', 'ten']) {
      expect(() => parsePageQuery({ limit }, opts)).toThrow(
        /^"limit" must be a whole number from 1 to 1000/,
      );
    }
    expect(parsePageQuery({ limit: String(MAX_PAGE_LIMIT) }, opts).limit).toBe(
      1000,
    );
    expect(parsePageQuery({ limit: 7 }, opts).limit).toBe(7);
  });

  it('answers 400 naming cursor for anything that is not a nextCursor', () => {
    const bad = [
      'zzz',
      '!!',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
    ];
    for (const cursor of bad) {
      expect(() => parsePageQuery({ cursor }, opts)).toThrow(
        /^"cursor" must be the nextCursor of an earlier page of things/,
      );
    }
    expect(() => parsePageQuery({ cursor: ['a', 'b'] }, opts)).toThrow(
      /"cursor"/,
    );
  });

  it('answers 400 naming cursor for the retired offset and before', () => {
    expect(() => parsePageQuery({ offset: '10' }, opts)).toThrow(
      /^"offset" is no longer a paging parameter: page with "cursor"/,
    );
    expect(() => parsePageQuery({ before: 'x' }, opts)).toThrow(
      /^"before" is no longer a paging parameter: page with "cursor"/,
    );
  });

  it('answers 400 for an unknown sort field or order', () => {
    expect(() => parsePageQuery({ sort: 'colour' }, opts)).toThrow(
      '"sort" must be one of name, size, not "colour"',
    );
    expect(() => parsePageQuery({ order: 'up' }, opts)).toThrow(
      '"order" must be asc or desc',
    );
  });
});

describe('parseListQuery', () => {
  it('reads the filter and pages 100 by default', () => {
    expect(
      parseListQuery(
        { filter: 'ab' },
        { sortFields: ['name'], what: 'things' },
      ),
    ).toEqual({
      filter: 'ab',
      page: { limit: LIST_PAGE_LIMIT, sort: 'name', order: 'asc' },
    });
    expect(LIST_PAGE_LIMIT).toBe(100);
    expect(
      parseListQuery({ filter: '', limit: '5' }, { sortFields: ['name'] }),
    ).toEqual({ page: { limit: 5, sort: 'name', order: 'asc' } });
  });

  it('answers the paging 400s', () => {
    expect(() =>
      parseListQuery({ limit: '0' }, { sortFields: ['name'] }),
    ).toThrow(/"limit"/);
    expect(() =>
      parseListQuery({ sort: 'size' }, { sortFields: ['name'] }),
    ).toThrow(/"sort" must be one of name/);
  });
});

describe('cursors', () => {
  it('round-trip a sort key', () => {
    for (const key of [
      { value: 'x', id: 'y' },
      { value: 3, id: 'a/b' },
      { value: null, id: '' },
    ]) {
      expect(decodeCursor(encodeCursor(key))).toEqual(key);
    }
    expect(decodeCursor(undefined)).toBeUndefined();
  });
});

describe('pageList', () => {
  it('gives every item exactly once across pages, in order', () => {
    expect(walk({})).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(walk({ order: 'desc' })).toEqual([['e', 'd'], ['c', 'b'], ['a']]);
  });

  it('sorts by a field with ties broken by id, stable across pages', () => {
    expect(walk({ sort: 'size', limit: '2' }).flat()).toEqual([
      'b',
      'c',
      'd',
      'a',
      'e',
    ]);
    expect(walk({ sort: 'size', order: 'desc', limit: '1' }).flat()).toEqual([
      'e',
      'a',
      'd',
      'c',
      'b',
    ]);
  });

  it('has no nextCursor on the last page, also when it is exactly full', () => {
    const page = pageList(things, parsePageQuery({ limit: '5' }, opts), keys);
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeUndefined();
    expect(pageList([], parsePageQuery({}, opts), keys)).toEqual({
      items: [],
      total: 0,
    });
  });

  it('continues after an item that left the list since the previous page', () => {
    const first = pageList(things, parsePageQuery({}, opts), keys);
    const without = things.filter(t => t.name !== 'b');
    const next = pageList(
      without,
      parsePageQuery({ cursor: first.nextCursor }, opts),
      keys,
    );
    expect(next.items.map(t => t.name)).toEqual(['c', 'd']);
  });
});

describe('pageOfRows', () => {
  it('cuts the extra row and gives its cursor only when it came back', () => {
    const keyOf = (n: number) => ({ value: n, id: String(n) });
    const more = pageOfRows([1, 2, 3], 2, keyOf);
    expect(more.items).toEqual([1, 2]);
    expect(decodeCursor(more.nextCursor)).toEqual({ value: 2, id: '2' });
    expect(pageOfRows([1, 2], 2, keyOf)).toEqual({ items: [1, 2] });
  });
});
