import type { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.body2.fontSize,
    '& th, & td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
      verticalAlign: 'top',
    },
  },
}));

/** A small read-only table (a few rows, no paging): plain HTML, labelled for screen readers. */
export function SimpleTable<T>(props: {
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  columns: Array<{ title: string; render: (row: T) => ReactNode }>;
}) {
  const classes = useStyles();
  return (
    <table className={classes.table} aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map(c => (
            <th key={c.title} scope="col">
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(row => (
          <tr key={props.rowKey(row)}>
            {props.columns.map(c => (
              <td key={c.title}>{c.render(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
