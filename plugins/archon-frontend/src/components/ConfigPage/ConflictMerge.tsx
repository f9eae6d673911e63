import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  Radio,
  RadioGroup,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { SimpleTable } from '../common/SimpleTable';
import { ConfigValue } from './ConfigValue';

type Props = Record<string, string>;
type Choice = 'mine' | 'theirs';

const useStyles = makeStyles(theme => ({
  conflict: {
    backgroundColor: theme.palette.type === 'dark' ? '#4a3000' : '#fff4e5',
  },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    marginTop: theme.spacing(2),
  },
}));

export interface MergeRow {
  key: string;
  base?: string;
  mine?: string;
  theirs?: string;
  /** Both sides changed the key, differently. */
  conflict: boolean;
  /** Mine and theirs agree: nothing to choose. */
  same: boolean;
}

/** Three-way comparison of what the user loaded, edited, and what is stored now. */
export function mergeRows(base: Props, mine: Props, theirs: Props): MergeRow[] {
  const keys = [
    ...new Set([
      ...Object.keys(base),
      ...Object.keys(mine),
      ...Object.keys(theirs),
    ]),
  ].sort();
  return keys.map(key => {
    const b = base[key];
    const m = mine[key];
    const t = theirs[key];
    return {
      key,
      base: b,
      mine: m,
      theirs: t,
      same: m === t,
      conflict: m !== b && t !== b && m !== t,
    };
  });
}

/** Default choice: my value where I changed the key, theirs everywhere else. */
export function defaultChoices(rows: MergeRow[]): Record<string, Choice> {
  return Object.fromEntries(
    rows.map(r => [r.key, r.mine !== r.base ? 'mine' : 'theirs']),
  );
}

export function mergedOf(
  rows: MergeRow[],
  choices: Record<string, Choice>,
): Props {
  const merged: Props = {};
  for (const r of rows) {
    const value = choices[r.key] === 'mine' ? r.mine : r.theirs;
    if (value !== undefined) merged[r.key] = value;
  }
  return merged;
}

/**
 * Shown after a 409: the user's edit and the newer set side by side, key by
 * key, with a choice per differing key; saving writes the merge against the
 * newer version.
 */
export const ConflictMerge = (props: {
  path: string;
  base: Props;
  mine: Props;
  theirs: Props;
  /** The newer set's version; undefined when it was deleted. */
  theirsVersion?: number;
  theirsExists: boolean;
  message: string;
  saving?: boolean;
  onSave: (merged: Props) => void;
  onEdit: (merged: Props) => void;
  onCancel: () => void;
}) => {
  const classes = useStyles();
  const rows = useMemo(
    () => mergeRows(props.base, props.mine, props.theirs),
    [props.base, props.mine, props.theirs],
  );
  const [choices, setChoices] = useState(() => defaultChoices(rows));
  const conflicts = rows.filter(r => r.conflict).length;
  const merged = mergedOf(rows, choices);

  return (
    <Box data-testid="conflict-merge">
      <Alert severity="warning">
        <strong>Someone changed this set since you opened it.</strong>{' '}
        {props.message}
      </Alert>
      <Typography variant="body2" style={{ margin: '8px 0' }}>
        {props.theirsExists
          ? `Your changes are on the left, the current set (version ${props.theirsVersion}) on the right. `
          : 'The set was deleted meanwhile; saving recreates it. '}
        {conflicts > 0
          ? `${conflicts} key${
              conflicts === 1 ? ' was' : 's were'
            } changed on both sides; choose which value to keep.`
          : 'No key was changed on both sides.'}
      </Typography>
      <SimpleTable
        label="Merge your changes with the current set"
        rows={rows}
        rowKey={r => r.key}
        rowClassName={r => (r.conflict ? classes.conflict : undefined)}
        columns={[
          { title: 'Key', width: '22%', mono: true, render: r => r.key },
          {
            title: 'Yours',
            width: '27%',
            mono: true,
            render: r => <ConfigValue value={r.mine} />,
          },
          {
            title: `Current${
              props.theirsExists ? ` (version ${props.theirsVersion})` : ''
            }`,
            width: '27%',
            mono: true,
            render: r => <ConfigValue value={r.theirs} />,
          },
          {
            title: 'Keep',
            width: '24%',
            render: r =>
              r.same ? (
                <Typography variant="caption">same</Typography>
              ) : (
                <RadioGroup
                  row
                  aria-label={`Value to keep for ${r.key}`}
                  value={choices[r.key]}
                  onChange={e =>
                    setChoices(c => ({
                      ...c,
                      [r.key]: e.target.value as Choice,
                    }))
                  }
                >
                  <FormControlLabel
                    value="mine"
                    control={<Radio size="small" />}
                    label="Yours"
                  />
                  <FormControlLabel
                    value="theirs"
                    control={<Radio size="small" />}
                    label="Current"
                  />
                </RadioGroup>
              ),
          },
        ]}
      />
      <Box className={classes.actions}>
        <Button
          variant="contained"
          color="primary"
          disabled={props.saving}
          onClick={() => props.onSave(merged)}
        >
          Save merged set
        </Button>
        <Button
          variant="outlined"
          disabled={props.saving}
          onClick={() => props.onEdit(merged)}
        >
          Edit the merge
        </Button>
        <Button disabled={props.saving} onClick={props.onCancel}>
          Discard my changes
        </Button>
      </Box>
    </Box>
  );
};
