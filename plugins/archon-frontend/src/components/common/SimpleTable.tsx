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
    '& th': { whiteSpace: 'nowrap' },
  },
  // Columns with a set width share the table as given, whatever their content.
  fixed: { tableLayout: 'fixed' },
  nowrap: { whiteSpace: 'nowrap' },
  // Values (JSON, long strings) keep their line breaks and wrap at any
  // character only where a line does not fit its column's width.
  mono: {
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
}));

/** One column of a SimpleTable. */
export interface SimpleColumn<T> {
  title: string;
  render: (row: T) => ReactNode;
  /**
   * CSS width (e.g. '30%'). When any column has one the table lays out with
   * fixed widths, so a long value wraps inside its column instead of
   * squeezing the others to a letter a line.
   */
  width?: string;
  /** A value column: monospace, wrapped where it does not fit. */
  mono?: boolean;
  /** One line: names, state words, numbers. */
  nowrap?: boolean;
}

/**
 * The portal's small read-only table (a few rows, no paging): plain HTML,
 * labelled for screen readers. Lists with paging use ArchonTable.
 */
export function SimpleTable<T>(props: {
  label: string;
  rows: T[];
  rowKey: (row: T) => string;
  /** A class for a row to stand out (e.g. a conflict). */
  rowClassName?: (row: T) => string | undefined;
  columns: Array<SimpleColumn<T>>;
}) {
  const classes = useStyles();
  const fixed = props.columns.some(c => c.width);
  const cellClass = (c: SimpleColumn<T>) =>
    [c.mono && classes.mono, c.nowrap && classes.nowrap]
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <table
      className={fixed ? `${classes.table} ${classes.fixed}` : classes.table}
      aria-label={props.label}
    >
      <thead>
        <tr>
          {props.columns.map(c => (
            <th key={c.title} scope="col" style={{ width: c.width }}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(row => (
          <tr key={props.rowKey(row)} className={props.rowClassName?.(row)}>
            {props.columns.map(c => (
              <td key={c.title} className={cellClass(c)}>
                {c.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
