import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, LinearProgress } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  MarathonAppActionResult,
  TypedResponse,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

/** How often the page asks whether Marathon's deployment is still in progress. */
const POLL_MS = 2000;
/** After this the page stops asking (Marathon goes on; the list says what runs). */
const FOLLOW_MS = 10 * 60_000;

/** One action on an app archon did not deploy, as the user named it. */
export interface MarathonActionRun {
  title: string;
  /** `accepted`: Marathon runs the deployment; `ended`: Marathon no longer lists it. */
  phase: 'starting' | 'accepted' | 'ended' | 'unfollowed' | 'error';
  result?: MarathonAppActionResult;
  error?: Error;
}

/**
 * Runs an action by Marathon app id (`/marathon/{instance}/apps/{appId}/...`)
 * and follows the deployment Marathon started until Marathon no longer
 * lists it; then `onEnded` re-reads the page. archon records no release for
 * these apps, so there is no archon flow to follow.
 */
export function useMarathonAction(instance: string, onEnded: () => void) {
  const api = useApi(archonApiRef);
  const [run, setRun] = useState<MarathonActionRun>();
  const alive = useRef(0);
  const ended = useRef(onEnded);
  ended.current = onEnded;
  useEffect(
    () => () => {
      alive.current++;
    },
    [],
  );

  const start = useCallback(
    async (title: string, request: () => Promise<TypedResponse<unknown>>) => {
      const token = ++alive.current;
      const current = () => alive.current === token;
      setRun({ title, phase: 'starting' });
      try {
        const result = (await unwrap(request())) as MarathonAppActionResult;
        if (!current()) return;
        setRun({ title, phase: 'accepted', result });
        ended.current();
        const deadline = Date.now() + FOLLOW_MS;
        for (;;) {
          await new Promise(resolve => setTimeout(resolve, POLL_MS));
          if (!current()) return;
          const { items } = await unwrap(
            api.marathonListDeployments({ path: { instance } }),
          );
          if (!current()) return;
          if (!items.some(d => d.id === result.deploymentId)) {
            setRun({ title, phase: 'ended', result });
            break;
          }
          if (Date.now() > deadline) {
            setRun({ title, phase: 'unfollowed', result });
            break;
          }
        }
        ended.current();
      } catch (error) {
        if (current())
          setRun(r => ({
            title,
            phase: 'error',
            result: r?.result,
            error: error as Error,
          }));
      }
    },
    [api, instance],
  );

  const busy = run?.phase === 'starting' || run?.phase === 'accepted';
  return { run, start, busy, clear: () => setRun(undefined) };
}

/** What Marathon did with the last action, in its words (deployment id). */
export const MarathonActionProgress = (props: {
  run: MarathonActionRun;
  onDismiss: () => void;
}) => {
  const { run } = props;
  const id = run.result?.deploymentId;
  const text: Record<MarathonActionRun['phase'], string> = {
    starting: `${run.title}: asking Marathon…`,
    accepted: `${run.title}: Marathon started deployment ${id}; waiting for it to end.`,
    ended: `${run.title}: Marathon's deployment ${id} is no longer in progress.`,
    unfollowed: `${run.title}: Marathon's deployment ${id} still runs after 10 minutes; the page stopped following it.`,
    error: `${run.title} failed: ${run.error?.message}`,
  };
  const busy = run.phase === 'starting' || run.phase === 'accepted';
  return (
    <div data-testid="marathon-action">
      <Alert
        severity={
          {
            starting: 'info',
            accepted: 'info',
            ended: 'success',
            unfollowed: 'warning',
            error: 'error',
          }[run.phase] as 'info' | 'success' | 'warning' | 'error'
        }
        action={
          busy ? undefined : (
            <Button size="small" onClick={props.onDismiss}>
              Dismiss
            </Button>
          )
        }
      >
        {text[run.phase]}
      </Alert>
      {busy && <LinearProgress />}
    </div>
  );
};
