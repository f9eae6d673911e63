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
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { TopicUsageView } from '../KafkaTopicContent/DeleteTopicDialog';

type Outcome = { topic: string; error?: Error };

/**
 * Deletes the selected topics: shows what uses each one first (the usage
 * check of the single delete), asks for their number, then deletes them one
 * by one (each is its own audited, permission-checked delete) and says which
 * were deleted and which not, with why.
 */
export const DeleteTopicsDialog = (props: {
  cluster: string;
  topics: string[];
  open: boolean;
  onClose: () => void;
  /** After the deletes ran, with the topics that are gone. */
  onDeleted: (deleted: string[]) => void;
}) => {
  const { cluster, topics } = props;
  const api = useApi(archonApiRef);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>();
  const usage = useAsync(
    async () =>
      props.open
        ? Promise.all(
            topics.map(topic =>
              unwrap(api.kafkaGetTopicUsage({ path: { cluster, topic } })),
            ),
          )
        : undefined,
    [api, cluster, topics.join('\n'), props.open],
  );
  const expected = String(topics.length);

  const remove = async () => {
    setBusy(true);
    const results: Outcome[] = [];
    for (const topic of topics) {
      try {
        await unwrap(
          api.kafkaDeleteTopic({
            path: { cluster, topic },
            query: { confirm: topic },
          }),
        );
        results.push({ topic });
      } catch (error) {
        results.push({ topic, error: error as Error });
      }
    }
    setBusy(false);
    setOutcomes(results);
    props.onDeleted(results.filter(r => !r.error).map(r => r.topic));
  };

  const close = () => {
    setTyped('');
    setOutcomes(undefined);
    props.onClose();
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      maxWidth="sm"
      fullWidth
      aria-labelledby="delete-topics-title"
    >
      <DialogTitle id="delete-topics-title">
        Delete {topics.length} topics?
      </DialogTitle>
      <DialogContent>
        {outcomes ? (
          outcomes.map(o =>
            o.error ? (
              <Alert key={o.topic} severity="error">
                {o.topic}: not deleted: {o.error.message}
              </Alert>
            ) : (
              <Alert key={o.topic} severity="success">
                Deleted {o.topic}
              </Alert>
            ),
          )
        ) : (
          <>
            <Typography variant="body2" gutterBottom>
              Deleting removes every message of these topics on {cluster}. This
              cannot be undone. What uses them now:
            </Typography>
            {usage.loading && <Progress />}
            {usage.error && <ResponseErrorPanel error={usage.error} />}
            {usage.value?.map((u, i) => (
              <Box key={topics[i]} mb={1}>
                <Typography variant="subtitle1">{topics[i]}</Typography>
                <TopicUsageView usage={u} />
              </Box>
            ))}
            <TextField
              id="delete-topics-dialog-confirm"
              label={`Type ${expected}, the number of topics, to confirm`}
              fullWidth
              margin="normal"
              value={typed}
              onChange={e => setTyped(e.target.value)}
            />
            {busy && <Progress />}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{outcomes ? 'Close' : 'Cancel'}</Button>
        {!outcomes && (
          <Button
            color="secondary"
            variant="contained"
            disabled={busy || typed !== expected || !usage.value}
            onClick={remove}
          >
            Delete {topics.length} topics
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
