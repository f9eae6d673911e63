import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
  makeStyles,
} from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: '0.8em',
    whiteSpace: 'pre-wrap',
    maxHeight: 360,
    overflow: 'auto',
    margin: 0,
  },
  removed: { background: theme.palette.error.light },
  added: { background: theme.palette.success.light },
}));

/** Lines of `before` and `after` as a minimal line diff (LCS; znode data is small). */
export function lineDiff(
  before: string,
  after: string,
): Array<{ kind: ' ' | '-' | '+'; text: string }> {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () =>
    new Array(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: Array<{ kind: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i++] });
      j++;
    } else if (
      j < b.length &&
      (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])
    ) {
      out.push({ kind: '+', text: b[j++] });
    } else {
      out.push({ kind: '-', text: a[i++] });
    }
  }
  return out;
}

/** Shows what a raw znode save changes and asks before writing it. */
export const ConfirmZnodeSave = (props: {
  path: string;
  version: number;
  before: string;
  after: string;
  saving: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) => {
  const classes = useStyles();
  const lines = lineDiff(props.before, props.after);
  return (
    <Dialog
      open
      onClose={props.onCancel}
      maxWidth="md"
      fullWidth
      aria-labelledby="znode-save-title"
    >
      <DialogTitle id="znode-save-title">Save {props.path}?</DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          Replaces the data of version {props.version}; ZooKeeper refuses it if
          someone changed the znode since.
        </Typography>
        <pre className={classes.diff} aria-label={`Changes to ${props.path}`}>
          {lines.map((l, i) => (
            <div
              key={i}
              className={
                { '-': classes.removed, '+': classes.added, ' ': undefined }[
                  l.kind
                ]
              }
            >
              {l.kind} {l.text}
            </div>
          ))}
        </pre>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={props.saving}
          onClick={props.onConfirm}
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
};
