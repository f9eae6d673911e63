import type { ReactNode } from 'react';
import {
  Box,
  Tooltip,
  Typography,
  makeStyles,
  useTheme,
} from '@material-ui/core';
import {
  CopyTextButton,
  Table,
  type TableProps,
} from '@backstage/core-components';

/**
 * How tall a table's rows may grow before they scroll under its header
 * (the header row stays in view): most of a 900 px screen, so a long list
 * reads like a list and the page around it stays reachable.
 */
export const TABLE_MAX_BODY_HEIGHT = '70vh';

/**
 * Backstage's Table with archon's defaults, for every list of the portal: dense
 * rows, headers that never wrap and stay in view while a long list scrolls
 * (sticky in the table's own scroll box), and a short last page that ends
 * with its last row instead of blank rows up to the page size. A caller's
 * options win; its header style adds to these.
 */
export function ArchonTable<T extends object>(props: TableProps<T>) {
  const theme = useTheme();
  return (
    <Table<T>
      {...props}
      options={{
        padding: 'dense',
        emptyRowsWhenPaging: false,
        maxBodyHeight: TABLE_MAX_BODY_HEIGHT,
        ...props.options,
        headerStyle: {
          whiteSpace: 'nowrap',
          // material-table gives its header cells a background and z-index
          // but leaves `position: sticky` out; with a body height the rows
          // scroll in the box right around the table, so the header sticks there.
          position: 'sticky',
          top: 0,
          zIndex: 2,
          // Rows scroll under it: it must not let them show through.
          backgroundColor: theme.palette.background.paper,
          ...props.options?.headerStyle,
        },
      }}
    />
  );
}

const useStyles = makeStyles(theme => ({
  cell: { display: 'inline-flex', alignItems: 'center', maxWidth: '100%' },
  text: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  // Backstage's CopyTextButton is a 40 px button (its BUI styles sit in a
  // CSS layer, which these unlayered rules override): in a dense row it is a
  // small, quiet icon a little apart from the text.
  copy: {
    display: 'inline-flex',
    marginLeft: theme.spacing(0.5),
    '& button': {
      width: 24,
      height: 24,
      color: theme.palette.text.secondary,
    },
    '& svg': { width: 16, height: 16 },
  },
}));

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
        <span className={classes.copy}>
          <CopyTextButton
            text={props.text}
            tooltipText="Copied"
            aria-label={`Copy ${props.text}`}
            variant="tertiary"
          />
        </span>
      )}
    </Box>
  );
};

/**
 * "on <cluster>" on a line under a cell's identifier: where a row is when a
 * list spans clusters or targets (a column of its own made lists too wide
 * at 1440x900).
 */
export const WhereLine = (props: { where: string; testId?: string }) => (
  <Typography
    variant="caption"
    color="textSecondary"
    display="block"
    data-testid={props.testId}
  >
    on {props.where}
  </Typography>
);
