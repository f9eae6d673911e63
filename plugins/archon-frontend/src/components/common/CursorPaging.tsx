import { useCallback, useMemo, useState } from 'react';
import { TablePagination } from '@material-ui/core';

/** Where a table paged on the server is: its page size and the cursors of the pages up to the shown one. */
export interface CursorPages {
  limit: number;
  /** The `cursor` of the page shown (undefined for the first). */
  cursor?: string;
  /** Index of the page shown, 0 for the first. */
  page: number;
  next(nextCursor: string): void;
  previous(): void;
  setLimit(limit: number): void;
  /** Back to the first page, e.g. when the filter changes. */
  reset(): void;
}

/**
 * Paging state of a table whose list the server pages with `limit` and
 * `cursor`: the cursors of the pages already seen are kept, so "previous"
 * goes back without the server having to page backwards.
 */
export function useCursorPages(initialLimit = 25): CursorPages {
  const [state, setState] = useState<{
    limit: number;
    cursors: Array<string | undefined>;
  }>({
    limit: initialLimit,
    cursors: [undefined],
  });
  const next = useCallback(
    (c: string) => setState(s => ({ ...s, cursors: [...s.cursors, c] })),
    [],
  );
  const previous = useCallback(
    () =>
      setState(s => ({
        ...s,
        cursors: s.cursors.slice(0, Math.max(1, s.cursors.length - 1)),
      })),
    [],
  );
  const setLimit = useCallback(
    (limit: number) => setState({ limit, cursors: [undefined] }),
    [],
  );
  const reset = useCallback(
    () =>
      setState(s =>
        s.cursors.length === 1 ? s : { limit: s.limit, cursors: [undefined] },
      ),
    [],
  );
  return useMemo(
    () => ({
      limit: state.limit,
      cursor: state.cursors[state.cursors.length - 1],
      page: state.cursors.length - 1,
      next,
      previous,
      setLimit,
      reset,
    }),
    [state, next, previous, setLimit, reset],
  );
}

/** Paging controls under a table paged on the server: previous / next by cursor, rows per page. */
export const CursorPaging = (props: {
  pages: CursorPages;
  total?: number;
  nextCursor?: string;
}) => {
  const { pages, total, nextCursor } = props;
  return (
    <TablePagination
      component="div"
      count={total ?? -1}
      page={pages.page}
      rowsPerPage={pages.limit}
      rowsPerPageOptions={[10, 25, 50, 100]}
      onPageChange={(_, page) => {
        if (page > pages.page && nextCursor) pages.next(nextCursor);
        else if (page < pages.page) pages.previous();
      }}
      onRowsPerPageChange={e => pages.setLimit(Number(e.target.value))}
      nextIconButtonProps={{ disabled: !nextCursor }}
    />
  );
};
