import { Typography, makeStyles } from '@material-ui/core';
import type { DeployDefinitionChange } from '@archon/plugin-archon-common';

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
      wordBreak: 'break-all',
    },
  },
  mono: { fontFamily: 'monospace', whiteSpace: 'pre-wrap' },
}));

/** A definition value as short text (objects as JSON). */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Field-by-field changes of an app definition (what runs vs what would run). */
export const DefinitionChangesTable = (props: {
  changes: DeployDefinitionChange[];
  label: string;
  empty?: string;
}) => {
  const classes = useStyles();
  if (props.changes.length === 0) {
    return (
      <Typography variant="body2">
        {props.empty ?? 'No changes to the app definition.'}
      </Typography>
    );
  }
  return (
    <table className={classes.table} aria-label={props.label}>
      <thead>
        <tr>
          <th>Field</th>
          <th>Change</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {props.changes.map(c => (
          <tr key={c.field}>
            <td className={classes.mono}>{c.field}</td>
            <td>{c.change}</td>
            <td className={classes.mono}>{valueText(c.before)}</td>
            <td className={classes.mono}>{valueText(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
