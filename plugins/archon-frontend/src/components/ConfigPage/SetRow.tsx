import { Chip, IconButton, TextField, Typography } from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import RestoreIcon from '@material-ui/icons/Restore';
import type { Row } from './setEditorModel';
import { useStyles } from './setEditorStyles';
import type { KeyHint } from './useKeyHints';

/** One key of the set being edited: its key (editable while new), value, status, and remove or restore. */
export const SetRow = (props: {
  r: Row;
  problem: string | undefined;
  original: string | undefined;
  status: string | undefined;
  hints: KeyHint[];
  serverProblems: Record<string, string>;
  update: (id: number, change: Partial<Row>) => void;
  remove: (row: Row) => void;
}) => {
  const {
    r,
    problem,
    original,
    status,
    hints,
    serverProblems,
    update,
    remove,
  } = props;
  const classes = useStyles();
  return (
    <tr>
      <td className={classes.keyCell}>
        {r.isNew ? (
          <TextField
            value={r.key}
            size="small"
            variant="outlined"
            fullWidth
            placeholder="key"
            inputProps={{
              'aria-label': 'New key',
              className: classes.mono,
              list: 'config-key-hints',
            }}
            error={!!problem}
            helperText={
              problem ?? hints.find(h => h.key === r.key)?.description
            }
            onChange={e => update(r.id, { key: e.target.value })}
          />
        ) : (
          <span className={r.removed ? classes.removed : undefined}>
            {r.key}
          </span>
        )}
        {status && (
          <>
            {' '}
            <Chip size="small" label={status} />
          </>
        )}
        {!r.isNew && problem && (
          <Typography variant="caption" color="error" display="block">
            {problem}
          </Typography>
        )}
      </td>
      <td>
        {r.removed ? (
          <span className={`${classes.removed} ${classes.mono}`}>
            {r.value}
          </span>
        ) : (
          <TextField
            value={r.value}
            size="small"
            variant="outlined"
            fullWidth
            multiline
            maxRows={6}
            inputProps={{
              'aria-label': r.isNew
                ? 'Value of the new key'
                : `Value of ${r.key}`,
              className: classes.mono,
            }}
            error={!r.isNew && !!serverProblems[r.key]}
            helperText={
              !r.isNew && original !== undefined && original !== r.value
                ? `was: ${original}`
                : undefined
            }
            onChange={e => update(r.id, { value: e.target.value })}
          />
        )}
      </td>
      <td>
        {r.removed ? (
          <IconButton
            size="small"
            aria-label={`Restore ${r.key}`}
            title="Restore"
            onClick={() => update(r.id, { removed: false })}
          >
            <RestoreIcon fontSize="small" />
          </IconButton>
        ) : (
          <IconButton
            size="small"
            aria-label={r.key ? `Remove ${r.key}` : 'Remove this key'}
            title="Remove"
            onClick={() => remove(r)}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        )}
      </td>
    </tr>
  );
};
