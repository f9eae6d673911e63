import { makeStyles } from '@material-ui/core';

/** The set editor's styles, shared by its form and rows. */
export const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    '& th, & td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
      verticalAlign: 'top',
    },
    '& th': { fontWeight: 500 },
  },
  keyCell: {
    fontFamily: 'monospace',
    overflowWrap: 'anywhere',
    width: '30%',
    paddingTop: `${theme.spacing(1.5)}px !important`,
  },
  removed: {
    textDecoration: 'line-through',
    color: theme.palette.text.disabled,
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
  section: { marginTop: theme.spacing(2) },
  mono: { fontFamily: 'monospace' },
}));
