import { Box, Button, Typography } from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { MarathonTask } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { apiAppId } from '../../lib/appEntity';
import { unwrap } from '../../lib/errors';

/** How much of the failed task's stderr the card shows. */
const STDERR_TAIL = 4096;

/**
 * The app's most recent finished task (kept by its Mesos agent for a while):
 * how it ended and the tail of its stderr, like `kubectl logs --previous`.
 */
export const LastFailureCard = (props: {
  instance: string;
  appId: string;
  refreshKey: number;
  canReadLogs: boolean;
  onShowLogs: (task: MarathonTask) => void;
}) => {
  const { instance } = props;
  const appId = apiAppId(props.appId);
  const api = useApi(archonApiRef);
  const last = useAsync(async () => {
    const list = await unwrap(
      api.marathonListTasks({
        path: { instance, appId },
        query: { state: 'terminated', limit: 1 },
      }),
    );
    const task = list.items[0];
    if (!task || !props.canReadLogs) return { task };
    const log = await unwrap(
      api.marathonReadTaskLog({
        path: { instance, appId, taskId: task.id },
        query: { file: 'stderr', tail: STDERR_TAIL },
      }),
    ).catch(() => undefined);
    return { task, stderr: log?.data };
  }, [api, instance, appId, props.refreshKey, props.canReadLogs]);
  const task = last.value?.task;
  return (
    <InfoCard title="Last finished task">
      {last.loading && !last.value && <Progress />}
      {last.error && <ResponseErrorPanel error={last.error} />}
      {last.value && !task && (
        <Typography variant="body2">
          No finished task is kept: none ended recently.
        </Typography>
      )}
      {task && (
        <Box data-testid="last-failure">
          <Typography variant="body2" gutterBottom>
            <code>{task.id}</code> ended {task.state}
            {task.exitStatus !== undefined
              ? ` with exit status ${task.exitStatus}`
              : ''}
            {task.finishedAt
              ? ` at ${new Date(task.finishedAt).toLocaleString()}`
              : ''}
            {task.message ? `: ${task.message}` : ''}
          </Typography>
          {last.value?.stderr !== undefined && (
            <>
              <Typography variant="subtitle2" component="h3">
                Last lines of its stderr
              </Typography>
              <pre
                aria-label="stderr of the last finished task"
                style={{ maxHeight: 200, overflow: 'auto', margin: 0 }}
              >
                {last.value.stderr || '(empty)'}
              </pre>
            </>
          )}
          {props.canReadLogs && (
            <Box mt={1}>
              <Button
                size="small"
                variant="outlined"
                onClick={() => props.onShowLogs(task)}
              >
                All its logs
              </Button>
            </Box>
          )}
        </Box>
      )}
    </InfoCard>
  );
};
