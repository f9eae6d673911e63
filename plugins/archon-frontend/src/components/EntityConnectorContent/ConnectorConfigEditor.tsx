import { useRef, useState } from 'react';
import {
  Box,
  Button,
  CircularProgress,
  IconButton,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConnectConnectorRequestConfig } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { SECRET_MASK } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';

export type ConnectorConfig = Record<string, string>;

/** Connect's per-field validation errors. */
export type FieldErrors = Record<string, string[]>;

interface Row {
  id: number;
  key: string;
  value: string;
}

const CLASS_KEY = 'connector.class';

/** Rows for a config: `connector.class` first; `name` follows the connector's name, so it is not a row. */
export function rowsOf(config: ConnectorConfig, firstId = 0): Row[] {
  const keys = Object.keys(config).filter(k => k !== 'name');
  keys.sort((a, b) => Number(b === CLASS_KEY) - Number(a === CLASS_KEY));
  return keys.map((key, i) => ({ id: firstId + i, key, value: config[key] }));
}

/** The config of the rows (rows without a field name are left out). */
export function configOf(rows: Row[]): ConnectorConfig {
  const out: ConnectorConfig = {};
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value;
  return out;
}

/** What is wrong with a row before Connect is asked, by row id. */
export function rowProblems(rows: Row[]): Record<number, string> {
  const out: Record<number, string> = {};
  const seen = new Set<string>();
  for (const r of rows) {
    const key = r.key.trim();
    if (!key && r.value) out[r.id] = 'Enter a field name';
    else if (key === 'name')
      out[r.id] = '"name" is the connector\'s name; it is set for you';
    else if (key && seen.has(key)) out[r.id] = `${key} appears twice`;
    seen.add(key);
  }
  return out;
}

/** The per-field errors in a 422 answer (`error.details.fields`), if any. */
export function fieldErrorsOf(error: unknown): FieldErrors | undefined {
  if (!isApiError(error, 422)) return undefined;
  const details = error.body?.error?.details as
    | { fields?: FieldErrors }
    | undefined;
  return details?.fields && typeof details.fields === 'object'
    ? details.fields
    : undefined;
}

const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    '& td, & th': {
      verticalAlign: 'top',
      padding: theme.spacing(0.5),
      textAlign: 'left',
    },
  },
  keyCell: { width: '35%' },
  mono: { fontFamily: 'monospace' },
  section: { marginBottom: theme.spacing(2) },
}));

type Notice = { severity: 'success' | 'error'; text: string };

/**
 * A connector config as field/value rows. "Validate" asks Connect (through
 * archon) and shows each error at the field it belongs to, with a summary;
 * saving shows a 422's field errors the same way. Secret values arrive
 * masked and are sent back masked, which tells the backend to keep them.
 */
export const ConnectorConfigEditor = (props: {
  cluster: string;
  /** The connector's name: Connect validates it with the config. */
  name: string;
  initialConfig: ConnectorConfig;
  saveLabel: string;
  /** Saves the config; resolves to the success message, throws the API error. */
  onSave: (config: ConnectConnectorRequestConfig) => Promise<string>;
  /** Why the config cannot be validated or saved now (permission, no name yet). */
  disabledReason?: string;
}) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const initialRows = rowsOf(props.initialConfig);
  const nextId = useRef(initialRows.length);
  const [rows, setRows] = useState<Row[]>(initialRows);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState<'validate' | 'save'>();

  const problems = rowProblems(rows);
  const config = configOf(rows);
  const missingClass = !config[CLASS_KEY];
  const blocked =
    props.disabledReason ??
    (Object.keys(problems).length > 0
      ? 'Fix the fields marked in red first.'
      : undefined) ??
    (missingClass ? `The config needs ${CLASS_KEY}.` : undefined);
  const rowKeys = new Set(rows.map(r => r.key.trim()));
  const errorFields = Object.keys(fieldErrors).sort();
  const errorCount = errorFields.reduce((n, f) => n + fieldErrors[f].length, 0);
  const masked = rows.some(r => r.value === SECRET_MASK);

  const update = (id: number, change: Partial<Row>) => {
    const row = rows.find(r => r.id === id);
    setRows(rs => rs.map(r => (r.id === id ? { ...r, ...change } : r)));
    // The errors Connect gave for the field no longer apply to what is typed.
    if (row && fieldErrors[row.key.trim()]) {
      const { [row.key.trim()]: _changed, ...rest } = fieldErrors;
      setFieldErrors(rest);
    }
  };
  const addRow = (key = '') => {
    const id = nextId.current++;
    setRows(rs => [...rs, { id, key, value: '' }]);
  };

  const requestConfig = (): ConnectConnectorRequestConfig => ({
    ...config,
    [CLASS_KEY]: config[CLASS_KEY],
  });

  const showFailure = (error: unknown, what: string) => {
    const fields = fieldErrorsOf(error);
    if (fields) {
      setFieldErrors(fields);
      setNotice({
        severity: 'error',
        text: `${what}: Connect rejected the config. Fix the fields below.`,
      });
    } else {
      setNotice({
        severity: 'error',
        text: `${what}: ${(error as Error).message}`,
      });
    }
  };

  const validate = async () => {
    setBusy('validate');
    setNotice(undefined);
    try {
      const result = await unwrap(
        api.connectValidateConfig({
          path: { cluster: props.cluster },
          body: { name: props.name, config: requestConfig() },
        }),
      );
      setFieldErrors(result.fields ?? {});
      setNotice(
        result.errorCount === 0
          ? { severity: 'success', text: 'Connect accepts this config.' }
          : {
              severity: 'error',
              text: `Connect found ${result.errorCount} error(s). Fix the fields below.`,
            },
      );
    } catch (error) {
      showFailure(error, 'Could not validate');
    } finally {
      setBusy(undefined);
    }
  };

  const save = async () => {
    setBusy('save');
    setNotice(undefined);
    try {
      const text = await props.onSave(requestConfig());
      setFieldErrors({});
      setNotice({ severity: 'success', text });
    } catch (error) {
      showFailure(error, 'Not saved');
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Box>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.section}
      >
        Every value is a string. The connector&apos;s name is set from its name,
        not here.
        {masked &&
          ` Secret values are masked (${SECRET_MASK}): leave one as it is and archon keeps the stored value; type a new value to replace it.`}
      </Typography>
      {notice && (
        <Alert
          severity={notice.severity}
          className={classes.section}
          onClose={() => setNotice(undefined)}
        >
          {notice.text}
          {errorCount > 0 && (
            <ul aria-label="Config errors">
              {errorFields.map(field => (
                <li key={field}>
                  <span className={classes.mono}>{field}</span>:{' '}
                  {fieldErrors[field].join('; ')}
                  {!rowKeys.has(field) && field !== 'name' && (
                    <Button size="small" onClick={() => addRow(field)}>
                      Add {field}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      <table className={classes.table} aria-label="Connector config">
        <thead>
          <tr>
            <th>Field</th>
            <th>Value</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map(r => {
            const key = r.key.trim();
            const errors = key ? fieldErrors[key] : undefined;
            const problem = problems[r.id];
            let valueHint: string | undefined;
            if (errors?.length) valueHint = errors.join('; ');
            else if (r.value === SECRET_MASK)
              valueHint =
                'Masked secret: kept as stored unless you type a new value';
            return (
              <tr key={r.id}>
                <td className={classes.keyCell}>
                  <TextField
                    value={r.key}
                    size="small"
                    variant="outlined"
                    fullWidth
                    placeholder="field"
                    inputProps={{
                      'aria-label': key
                        ? `Field name ${key}`
                        : 'New field name',
                      className: classes.mono,
                    }}
                    error={!!problem}
                    helperText={problem}
                    onChange={e => update(r.id, { key: e.target.value })}
                  />
                </td>
                <td>
                  <TextField
                    value={r.value}
                    size="small"
                    variant="outlined"
                    fullWidth
                    multiline
                    maxRows={6}
                    inputProps={{
                      'aria-label': key
                        ? `Value of ${key}`
                        : 'Value of the new field',
                      className: classes.mono,
                    }}
                    error={!!errors?.length}
                    helperText={valueHint}
                    onChange={e => update(r.id, { value: e.target.value })}
                  />
                </td>
                <td>
                  <IconButton
                    size="small"
                    aria-label={key ? `Remove ${key}` : 'Remove this field'}
                    title="Remove"
                    onClick={() => setRows(rs => rs.filter(x => x.id !== r.id))}
                  >
                    <DeleteIcon fontSize="small" />
                  </IconButton>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Box display="flex" alignItems="center" mt={1} style={{ gap: 8 }}>
        <Button startIcon={<AddIcon />} onClick={() => addRow()}>
          Add field
        </Button>
        <Box flexGrow={1} />
        {busy && <CircularProgress size={20} aria-label="Working" />}
        {blocked && (
          <Typography variant="body2" color="textSecondary">
            {blocked}
          </Typography>
        )}
        <Button
          variant="outlined"
          disabled={!!busy || !!blocked}
          onClick={validate}
        >
          Validate
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!!busy || !!blocked}
          onClick={save}
        >
          {props.saveLabel}
        </Button>
      </Box>
    </Box>
  );
};
