import { useState } from 'react';
import { Box, Button, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { apiAppId } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';

/** Whether instances wait in Marathon's launch queue, and why offers are declined. */
export const QueueCard = (props: {
  instance: string;
  appId: string;
  refreshKey: number;
  canScale: boolean;
}) => {
  const api = useApi(archonApiRef);
  const path = { instance: props.instance, appId: apiAppId(props.appId) };
  const queue = useAsyncRetry(
    async () => unwrap(api.marathonGetAppQueue({ path })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, props.instance, props.appId, props.refreshKey],
  );
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();
  const [busy, setBusy] = useState(false);

  const resetDelay = async () => {
    setBusy(true);
    setNotice(undefined);
    try {
      await unwrap(api.marathonResetAppDelay({ path }));
      setNotice({
        severity: 'success',
        text: 'Launch delay reset: Marathon retries now.',
      });
      queue.retry();
    } catch (e) {
      setNotice({
        severity: 'error',
        text: `Could not reset the launch delay: ${(e as Error).message}`,
      });
    } finally {
      setBusy(false);
    }
  };

  const q = queue.value;
  return (
    <InfoCard title="Launch queue">
      {queue.loading && !q && <Progress />}
      {queue.error && <ResponseErrorPanel error={queue.error} />}
      {q && !q.queued && (
        <Typography variant="body2">Nothing waits to launch.</Typography>
      )}
      {q?.queued && (
        <Box data-testid="launch-queue">
          <Alert severity="warning">
            {q.count ?? 'Some'} instance{q.count === 1 ? '' : 's'} waiting to
            launch
            {q.since ? ` since ${new Date(q.since).toLocaleString()}` : ''}
            {q.delay?.timeLeftSeconds
              ? `; next attempt in ${Math.round(q.delay.timeLeftSeconds)} s`
              : ''}
            .
          </Alert>
          {q.explanation.length > 0 && (
            <ul aria-label="Why it does not launch">
              {q.explanation.map(line => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {q.reasons.length > 0 && (
            <Typography variant="body2" component="div">
              Declined offers:{' '}
              {q.reasons
                .map(r => `${r.reason} (${r.declined} of ${r.processed})`)
                .join(', ')}
            </Typography>
          )}
          <Box mt={1}>
            <Button
              variant="outlined"
              disabled={busy || !props.canScale || !q.delay}
              onClick={resetDelay}
            >
              Retry now (reset launch delay)
            </Button>
          </Box>
        </Box>
      )}
      {notice && (
        <Box mt={1}>
          <Alert severity={notice.severity}>{notice.text}</Alert>
        </Box>
      )}
    </InfoCard>
  );
};
