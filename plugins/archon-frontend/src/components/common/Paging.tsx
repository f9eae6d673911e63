import { TablePagination } from '@material-ui/core';

/** Server-side paging controls under a table. */
export const Paging = (props: {
  total: number;
  offset: number;
  limit: number;
  onChange: (offset: number, limit: number) => void;
}) => (
  <TablePagination
    component="div"
    count={props.total}
    page={Math.floor(props.offset / props.limit)}
    rowsPerPage={props.limit}
    rowsPerPageOptions={[10, 25, 50, 100]}
    onPageChange={(_, page) => props.onChange(page * props.limit, props.limit)}
    onRowsPerPageChange={e => props.onChange(0, Number(e.target.value))}
  />
);
