import type { ReactNode } from 'react';
import { Typography } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  MarathonDeploymentListItemsInner,
  MarathonQueueStatus,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { SimpleTable } from '../common/SimpleTable';

/** Deployments in progress on one Marathon instance. */
export const MarathonDeployments = ({
  instance,
  refreshKey,
}: {
  instance: string;
  refreshKey: number;
}) => {
  const api = useApi(archonApiRef);
  const list = useAsyncRetry(
    async () =>
      (await unwrap(api.marathonListDeployments({ path: { instance } }))).items,
    [api, instance, refreshKey],
  );
  if (list.loading && !list.value) return <Progress />;
  if (list.error)
    return (
      <ResponseErrorPanel
        error={list.error}
        title={`Marathon "${instance}": deployments unavailable`}
      />
    );
  if (!list.value?.length)
    return <Typography variant="body2">No deployment in progress.</Typography>;
  const columns: Array<{
    title: string;
    render: (d: MarathonDeploymentListItemsInner) => ReactNode;
  }> = [
    { title: 'Deployment', render: d => <code>{d.id}</code> },
    { title: 'Apps', render: d => (d.affectedApps ?? []).join(', ') },
    { title: 'Step', render: d => `${d.currentStep} of ${d.totalSteps}` },
    {
      title: 'Now',
      render: d =>
        (d.currentActions ?? [])
          .map(a =>
            `${(a as { action?: string }).action} ${
              (a as { app?: string }).app ?? ''
            }`.trim(),
          )
          .join(', '),
    },
  ];
  return (
    <SimpleTable
      label={`Deployments in flight (${list.value.length})`}
      rows={list.value}
      rowKey={d => d.id ?? ''}
      columns={columns}
    />
  );
};

/** Apps waiting in the launch queue of one instance, with why. */
export const MarathonQueue = ({
  instance,
  refreshKey,
}: {
  instance: string;
  refreshKey: number;
}) => {
  const api = useApi(archonApiRef);
  const list = useAsyncRetry(
    async () =>
      (await unwrap(api.marathonListQueue({ path: { instance } }))).items,
    [api, instance, refreshKey],
  );
  if (list.loading && !list.value) return <Progress />;
  if (list.error)
    return (
      <ResponseErrorPanel
        error={list.error}
        title={`Marathon "${instance}": launch queue unavailable`}
      />
    );
  const queued = (list.value ?? []).filter(q => q.queued);
  if (queued.length === 0)
    return (
      <Typography variant="body2">
        Nothing waits in the launch queue.
      </Typography>
    );
  const columns: Array<{
    title: string;
    render: (q: MarathonQueueStatus) => ReactNode;
  }> = [
    { title: 'App', render: q => q.appId },
    { title: 'Waiting', render: q => q.count ?? '—' },
    {
      title: 'Next attempt',
      render: q =>
        q.delay?.timeLeftSeconds !== undefined
          ? `${Math.round(q.delay.timeLeftSeconds)} s`
          : '—',
    },
    {
      title: 'Why',
      render: q => q.explanation[0] ?? q.reasons.map(r => r.reason).join(', '),
    },
  ];
  return (
    <SimpleTable
      label={`Launch queue (${queued.length})`}
      rows={queued}
      rowKey={q => q.appId}
      columns={columns}
    />
  );
};
