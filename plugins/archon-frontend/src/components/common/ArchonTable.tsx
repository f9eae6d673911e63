import type { ReactNode } from 'react';
import { Box, Tooltip, makeStyles } from '@material-ui/core';
import {
  CopyTextButton,
  Table,
  type TableProps,
} from '@backstage/core-components';

/**
 * Backstage's Table with archon's defaults, for every list of the portal: dense
 * rows, headers that never wrap, and a short last page that ends with its
 * last row instead of blank rows up to the page size. A caller's options win.
 */
export function ArchonTable<T extends object>(props: TableProps<T>) {
  return (
    <Table<T>
      {...props}
      options={{
        padding: 'dense',
        emptyRowsWhenPaging: false,
        headerStyle: { whiteSpace: 'nowrap' },
        ...props.options,
      }}
    />
  );
}

const useStyles = makeStyles({
  cell: { display: 'inline-flex', alignItems: 'center', maxWidth: '100%' },
  text: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

/**
 * An identifier in a table cell (a topic, app id, task id, state word): one
 * line, never broken mid-word; when it does not fit `maxWidth` it ends in an
 * ellipsis, with the whole text in the tooltip and a copy button beside it.
 */
export const Identifier = (props: {
  text: string;
  /** CSS width the text may take before it is cut (default 28ch). */
  maxWidth?: string | number;
  /** Offer a copy button (default true). */
  copy?: boolean;
  /** What to show instead of the bare text, e.g. a link to the text's entity. */
  children?: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <Box component="span" className={classes.cell}>
      <Tooltip title={props.text}>
        <span
          className={classes.text}
          style={{ maxWidth: props.maxWidth ?? '28ch' }}
          data-identifier
        >
          {props.children ?? props.text}
        </span>
      </Tooltip>
      {props.copy !== false && (
        <CopyTextButton
          text={props.text}
          tooltipText="Copied"
          aria-label={`Copy ${props.text}`}
        />
      )}
    </Box>
  );
};
