import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { KafkaTopicUsage } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';

/** What uses a topic: consumer groups, connectors, client apps. */
export const TopicUsageView = ({ usage }: { usage: KafkaTopicUsage }) => {
  const none =
    usage.consumerGroups.length === 0 &&
    usage.connectors.length === 0 &&
    usage.clients.length === 0;
  if (none)
    return (
      <Alert severity="info">
        Nothing reads this topic now: no consumer group, connector or client.
      </Alert>
    );
  return (
    <Box>
      {usage.consumerGroups.length > 0 && (
        <>
          <Typography variant="subtitle2">Consumer groups</Typography>
          <ul>
            {usage.consumerGroups.map(g => (
              <li key={g.groupId}>
                {g.groupId} ({g.state}, lag {formatCount(g.lag)},{' '}
                {g.members?.length ?? 0} member
                {g.members?.length === 1 ? '' : 's'})
              </li>
            ))}
          </ul>
        </>
      )}
      {usage.connectors.length > 0 && (
        <>
          <Typography variant="subtitle2">Connectors</Typography>
          <ul>
            {usage.connectors.map(c => (
              <li key={`${c.connectCluster}/${c.name}`}>
                {c.name} on {c.connectCluster} ({c.type}, {c.state})
              </li>
            ))}
          </ul>
        </>
      )}
      {usage.clients.length > 0 && (
        <>
          <Typography variant="subtitle2">Client apps</Typography>
          <ul>
            {usage.clients.map((c, i) => (
              <li key={i}>
                {c.clientId} on {c.host} (group {c.groupId})
              </li>
            ))}
          </ul>
        </>
      )}
    </Box>
  );
};

/** Deletes a topic after showing what uses it and asking for its name. */
export const DeleteTopicDialog = (props: {
  cluster: string;
  topic: string;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}) => {
  const { cluster, topic } = props;
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const usage = useAsync(
    async () =>
      props.open
        ? unwrap(api.kafkaGetTopicUsage({ path: { cluster, topic } }))
        : undefined,
    [api, cluster, topic, props.open],
  );

  const remove = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        api.kafkaDeleteTopic({
          path: { cluster, topic },
          query: { confirm: typed },
        }),
      );
      props.onDeleted();
    } catch (e) {
      setError(e as Error);
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
      aria-labelledby="delete-topic-title"
    >
      <DialogTitle id="delete-topic-title">Delete topic {topic}?</DialogTitle>
      <DialogContent>
        <Typography variant="body2" gutterBottom>
          Deleting removes every message of the topic on {cluster}. This cannot
          be undone. What uses it now:
        </Typography>
        {usage.loading && <Progress />}
        {usage.error && <ResponseErrorPanel error={usage.error} />}
        {usage.value && <TopicUsageView usage={usage.value} />}
        {error && <ResponseErrorPanel error={error} />}
        <TextField
          id="delete-topic-dialog-type-the-topic-name-to-confirm"
          label="Type the topic name to confirm"
          fullWidth
          margin="normal"
          value={typed}
          onChange={e => setTyped(e.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={busy || typed !== topic || !usage.value}
          onClick={remove}
        >
          Delete topic
        </Button>
      </DialogActions>
    </Dialog>
  );
};
