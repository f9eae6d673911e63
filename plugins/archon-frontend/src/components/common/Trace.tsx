import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  trace: {
    fontFamily: 'monospace',
    fontSize: '0.8em',
    whiteSpace: 'pre-wrap',
    maxHeight: 300,
    overflow: 'auto',
    background: theme.palette.background.default,
    padding: theme.spacing(1),
    margin: theme.spacing(0.5, 0),
  },
}));

/** A Java stack trace from Connect, scrollable past 300 px. */
export const Trace = (props: { text: string; label: string }) => {
  const classes = useStyles();
  return (
    <pre className={classes.trace} aria-label={props.label}>
      {props.text}
    </pre>
  );
};
