import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  isSecretKey,
  type KafkaProduceResult,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

export const MAX_COPIES = 100;

/** `name=value` per line into headers; the problem of the first bad line otherwise. */
export function parseHeaders(
  text: string,
): { headers: Record<string, string> } | { problem: string } {
  const headers: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { problem: `Line ${i + 1}: name=value` };
    headers[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { headers };
}

/**
 * Whether a value names a secret the way archon masks them (isSecretKey): a
 * JSON key at any depth, or `name=` / `name:` in text, e.g. `password=…`.
 */
export function holdsSecret(value: string): boolean {
  const keys: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, inner] of Object.entries(v)) {
        keys.push(k);
        walk(inner);
      }
  };
  try {
    walk(JSON.parse(value));
  } catch {
    // Not JSON: look for name=value or name: value pairs.
  }
  for (const m of value.matchAll(/([A-Za-z0-9_.-]+)"?\s*[=:]/g))
    keys.push(m[1]);
  return keys.some(k => isSecretKey(k));
}

/**
 * Produces a (test) message: key, value as text or JSON (checked before
 * sending), headers, an optional partition and N identical copies. Once sent,
 * a value or header that names a secret is cleared from the form.
 */
export const ProduceMessageDialog = (props: {
  cluster: string;
  topic: string;
  partitions: number;
  open: boolean;
  onClose: () => void;
  onProduced?: (result: KafkaProduceResult) => void;
}) => {
  const api = useApi(archonApiRef);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [kind, setKind] = useState<'text' | 'json'>('json');
  const [headerText, setHeaderText] = useState('');
  const [partition, setPartition] = useState('any');
  const [copies, setCopies] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  let valueProblem: string | undefined;
  if (kind === 'json') {
    try {
      JSON.parse(value);
    } catch (e) {
      valueProblem = `Not JSON: ${(e as Error).message}`;
    }
  }
  const parsedHeaders = parseHeaders(headerText);
  const headerProblem =
    'problem' in parsedHeaders ? parsedHeaders.problem : undefined;
  const n = Number(copies);
  const copiesProblem =
    Number.isInteger(n) && n >= 1 && n <= MAX_COPIES
      ? undefined
      : `1 to ${MAX_COPIES}`;

  const send = async () => {
    if (valueProblem || headerProblem || copiesProblem) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const headers = 'headers' in parsedHeaders ? parsedHeaders.headers : {};
      const result = await unwrap(
        api.kafkaProduceMessage({
          path: { cluster: props.cluster, topic: props.topic },
          body: {
            key: key === '' ? null : key,
            value,
            headers,
            count: n,
            ...(partition !== 'any' ? { partition: Number(partition) } : {}),
          },
        }),
      );
      const where = (result.written ?? [result])
        .map(w => `partition ${w.partition} from offset ${w.offset}`)
        .join(', ');
      const secret =
        holdsSecret(value) || Object.keys(headers).some(h => isSecretKey(h));
      if (secret) {
        // archon masks secrets everywhere it shows them; the form must not keep one on screen.
        setValue('');
        setHeaderText('');
      }
      setDone(
        `Produced ${result.count ?? 1} message${
          (result.count ?? 1) === 1 ? '' : 's'
        }: ${where}.${
          secret
            ? ' The value named a secret and was cleared from the form.'
            : ''
        }`,
      );
      props.onProduced?.(result);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="md">
      <DialogTitle>Produce to {props.topic}</DialogTitle>
      <DialogContent>
        <TextField
          id="produce-key"
          label="Key"
          fullWidth
          margin="dense"
          variant="outlined"
          helperText="Empty: no key"
          value={key}
          onChange={e => setKey(e.target.value)}
        />
        <TextField
          select
          id="produce-kind"
          label="Value is"
          margin="dense"
          variant="outlined"
          style={{ minWidth: 160 }}
          value={kind}
          onChange={e => setKind(e.target.value as 'text' | 'json')}
        >
          <MenuItem value="json">JSON</MenuItem>
          <MenuItem value="text">Text</MenuItem>
        </TextField>
        <TextField
          id="produce-value"
          label="Value"
          fullWidth
          multiline
          minRows={5}
          margin="dense"
          variant="outlined"
          inputProps={{ style: { fontFamily: 'monospace' } }}
          value={value}
          error={!!valueProblem && value !== ''}
          helperText={value !== '' ? valueProblem : undefined}
          onChange={e => setValue(e.target.value)}
        />
        <TextField
          id="produce-headers"
          label="Headers"
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          variant="outlined"
          placeholder="name=value, one per line"
          value={headerText}
          error={!!headerProblem}
          helperText={headerProblem ?? 'name=value, one per line'}
          onChange={e => setHeaderText(e.target.value)}
        />
        <TextField
          select
          id="produce-partition"
          label="Partition"
          margin="dense"
          variant="outlined"
          style={{ minWidth: 160, marginRight: 16 }}
          value={partition}
          onChange={e => setPartition(e.target.value)}
        >
          <MenuItem value="any">By key (or any)</MenuItem>
          {Array.from({ length: props.partitions }, (_, i) => (
            <MenuItem key={i} value={String(i)}>
              {i}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="produce-copies"
          label="Copies"
          type="number"
          margin="dense"
          variant="outlined"
          style={{ width: 140 }}
          value={copies}
          error={!!copiesProblem}
          helperText={copiesProblem ?? 'For testing'}
          onChange={e => setCopies(e.target.value)}
        />
        {error && <Alert severity="error">{error}</Alert>}
        {done && (
          <Alert severity="success" role="status">
            {done}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={
            busy || !!valueProblem || !!headerProblem || !!copiesProblem
          }
          onClick={send}
        >
          Produce
        </Button>
      </DialogActions>
    </Dialog>
  );
};
