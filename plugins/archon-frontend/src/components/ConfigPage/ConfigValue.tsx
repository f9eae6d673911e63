import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  absent: { fontStyle: 'italic', color: theme.palette.text.secondary },
}));

/** A key's value in a before/after or merge table; a key a side lacks reads "(absent)", not blank. */
export const ConfigValue = ({ value }: { value?: string }) => {
  const classes = useStyles();
  return value === undefined ? (
    <span className={classes.absent}>(absent)</span>
  ) : (
    <>{value}</>
  );
};
