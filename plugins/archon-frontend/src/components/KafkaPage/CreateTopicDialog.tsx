import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  TOPIC_NAME_MAX_LENGTH,
  TOPIC_NAME_PATTERN,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { isApiError, unwrap } from '../../lib/errors';

type Field = 'name' | 'partitions' | 'replicationFactor' | 'configs';

/** Client-side checks, the same rules the backend applies (archon-common's topic-name rule). */
export function topicFormProblems(form: {
  name: string;
  partitions: string;
  replicationFactor: string;
  configs: string;
}): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  if (!form.name) out.name = 'Enter a name';
  else if (form.name === '.' || form.name === '..')
    out.name = `A topic cannot be named "${form.name}"`;
  else if (form.name.length > TOPIC_NAME_MAX_LENGTH)
    out.name = `At most ${TOPIC_NAME_MAX_LENGTH} characters`;
  else if (!TOPIC_NAME_PATTERN.test(form.name))
    out.name = "Only ASCII letters, digits, '.', '_' and '-'";
  const partitions = Number(form.partitions);
  if (!Number.isInteger(partitions) || partitions < 1)
    out.partitions = 'A whole number of at least 1';
  const rf = Number(form.replicationFactor);
  if (!Number.isInteger(rf) || rf < 1)
    out.replicationFactor = 'A whole number of at least 1';
  const bad = form.configs
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !/^[^=\s]+=.*$/.test(l));
  if (bad.length) out.configs = `Not name=value: ${bad.join(', ')}`;
  return out;
}

function configsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)) {
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** Which form field a backend validation message is about. */
export function fieldOfMessage(message: string): Field | undefined {
  if (/body\/name|topic name|already exists|collides/i.test(message))
    return 'name';
  if (/replicationFactor|replication factor/i.test(message))
    return 'replicationFactor';
  if (/body\/partitions|^partitions|partition count/i.test(message))
    return 'partitions';
  if (/config/i.test(message)) return 'configs';
  return undefined;
}

/** Creates a topic; problems are shown at the field they concern. */
export const CreateTopicDialog = (props: {
  cluster: string;
  open: boolean;
  onClose: () => void;
  onCreated: (name: string) => void;
}) => {
  const api = useApi(archonApiRef);
  const [form, setForm] = useState({
    name: '',
    partitions: '3',
    replicationFactor: '1',
    configs: '',
  });
  const [touched, setTouched] = useState(false);
  const [serverField, setServerField] = useState<{
    field?: Field;
    message: string;
  }>();
  const [validated, setValidated] = useState(false);
  const [busy, setBusy] = useState(false);

  const problems = topicFormProblems(form);
  const hasProblems = Object.keys(problems).length > 0;
  const problemOf = (field: Field) =>
    (touched || form[field] !== '' ? problems[field] : undefined) ??
    (serverField?.field === field ? serverField.message : undefined);

  const set = (field: Field, value: string) => {
    setForm(f => ({ ...f, [field]: value }));
    setServerField(undefined);
    setValidated(false);
  };

  const submit = async (validateOnly: boolean) => {
    setTouched(true);
    if (hasProblems) return;
    setBusy(true);
    setServerField(undefined);
    try {
      await unwrap(
        api.kafkaCreateTopic({
          path: { cluster: props.cluster },
          body: {
            name: form.name,
            partitions: Number(form.partitions),
            replicationFactor: Number(form.replicationFactor),
            configs: configsOf(form.configs),
            ...(validateOnly ? { validateOnly: true } : {}),
          },
        }),
      );
      if (validateOnly) {
        setValidated(true);
      } else {
        props.onCreated(form.name);
        setForm({
          name: '',
          partitions: '3',
          replicationFactor: '1',
          configs: '',
        });
        setTouched(false);
      }
    } catch (e) {
      const message = (e as Error).message;
      setServerField({
        field: isApiError(e) ? fieldOfMessage(message) : undefined,
        message,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="create-topic-title"
    >
      <DialogTitle id="create-topic-title">
        Create a topic on {props.cluster}
      </DialogTitle>
      <DialogContent>
        {serverField && !serverField.field && (
          <Alert severity="error">{serverField.message}</Alert>
        )}
        {validated && (
          <Alert severity="success">Kafka accepts this topic.</Alert>
        )}
        <TextField
          id="create-topic-dialog-name"
          label="Name"
          fullWidth
          margin="normal"
          required
          value={form.name}
          error={!!problemOf('name')}
          helperText={
            problemOf('name') ?? "ASCII letters, digits, '.', '_' and '-'"
          }
          onChange={e => set('name', e.target.value)}
        />
        <TextField
          id="create-topic-dialog-partitions"
          label="Partitions"
          type="number"
          fullWidth
          margin="normal"
          required
          value={form.partitions}
          error={!!problemOf('partitions')}
          helperText={problemOf('partitions')}
          onChange={e => set('partitions', e.target.value)}
        />
        <TextField
          id="create-topic-dialog-replication-factor"
          label="Replication factor"
          type="number"
          fullWidth
          margin="normal"
          required
          value={form.replicationFactor}
          error={!!problemOf('replicationFactor')}
          helperText={
            problemOf('replicationFactor') ?? 'At most the number of brokers'
          }
          onChange={e => set('replicationFactor', e.target.value)}
        />
        <TextField
          id="create-topic-dialog-config-overrides"
          label="Config overrides"
          fullWidth
          margin="normal"
          multiline
          minRows={3}
          placeholder={'retention.ms=86400000\ncleanup.policy=compact'}
          value={form.configs}
          error={!!problemOf('configs')}
          helperText={
            problemOf('configs') ?? 'One name=value per line (optional)'
          }
          onChange={e => set('configs', e.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button onClick={() => submit(true)} disabled={busy}>
          Validate
        </Button>
        <Button
          onClick={() => submit(false)}
          disabled={busy}
          color="primary"
          variant="contained"
        >
          Create topic
        </Button>
      </DialogActions>
    </Dialog>
  );
};
