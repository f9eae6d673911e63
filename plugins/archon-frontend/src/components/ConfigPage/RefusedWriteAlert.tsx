import { Button } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useStyles } from './setEditorStyles';
import type { ConfigBrokenPath } from '@archon/plugin-archon-common';

/** A write refused because it would break paths that resolve now: which ones, and "save anyway". */
export const RefusedWriteAlert = (props: {
  refused: { brokenPaths: ConfigBrokenPath[]; retry: () => void };
  onCancel: () => void;
  busy: string | undefined;
}) => {
  const { refused, onCancel, busy } = props;
  const classes = useStyles();
  return (
    <Alert
      severity="error"
      className={classes.section}
      data-testid="refused-write"
      action={
        <span style={{ display: 'flex', gap: 8 }}>
          <Button onClick={onCancel}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={!!busy}
            onClick={refused.retry}
          >
            Save anyway
          </Button>
        </span>
      }
    >
      Not saved: this change would break {refused.brokenPaths.length} path
      {refused.brokenPaths.length === 1
        ? ' that resolves'
        : 's that resolve'}{' '}
      now.
      <ul>
        {refused.brokenPaths.map(b => (
          <li key={b.path}>
            <code>{b.path}</code> ({b.keys.join(', ')}): {b.reason}
          </li>
        ))}
      </ul>
    </Alert>
  );
};
