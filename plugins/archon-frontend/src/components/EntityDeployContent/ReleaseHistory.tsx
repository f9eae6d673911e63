import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  releaseStates,
  type ArchonReleaseState,
  type DeployPlan,
  type Release,
  type ReleaseDiff,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { ConfigDiffTable } from '../ConfigPage/ImpactReport';
import { DeployPlanView } from './DeployPlanView';
import { ArchonTable } from '../common/ArchonTable';

/** A release's state on the target (archon-common `releaseStates`); the live one in green. */
const ReleaseStatus = ({
  release,
  state,
}: {
  release: Release;
  state?: ArchonReleaseState;
}) => {
  const reason = (release.outcome as { reason?: string } | undefined)?.reason;
  const word = state ?? release.status;
  const from = (release.target as { rolledBackFrom?: string }).rolledBackFrom;
  const text = [
    word,
    from ? `rolled back from ${from}` : undefined,
    release.status === 'failed' ? reason : undefined,
  ]
    .filter(Boolean)
    .join(': ');
  if (word === 'live') return <StatusOK>{text}</StatusOK>;
  if (word === 'failed') return <StatusError>{text}</StatusError>;
  if (word === 'deploying') return <StatusPending>{text}</StatusPending>;
  return <StatusAborted>{text}</StatusAborted>;
};

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Two releases' configuration, key by key. */
const ReleaseCompare = ({ releases }: { releases: Release[] }) => {
  const api = useApi(archonApiRef);
  const [from, setFrom] = useState(releases[1]?.id ?? '');
  const [to, setTo] = useState(releases[0]?.id ?? '');
  const [shown, setShown] = useState<{ from: string; to: string }>();
  const diff = useAsync(
    async (): Promise<ReleaseDiff | undefined> =>
      shown
        ? unwrap(
            api.getReleaseDiff({
              path: { id: shown.from },
              query: { against: shown.to },
            }),
          )
        : undefined,
    [api, shown],
  );
  const select = (
    id: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
  ) => (
    <TextField
      id={id}
      select
      label={label}
      size="small"
      variant="outlined"
      value={value}
      onChange={e => onChange(e.target.value)}
      style={{ minWidth: 260 }}
    >
      {releases.map(r => (
        <MenuItem key={r.id} value={r.id}>
          {r.id} ({when(r.createdAt)})
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Compare two releases
      </Typography>
      <Box
        display="flex"
        alignItems="center"
        style={{ gap: 8 }}
        flexWrap="wrap"
      >
        {select('release-from', 'From release', from, setFrom)}
        {select('release-to', 'To release', to, setTo)}
        <Button
          variant="outlined"
          disabled={!from || !to || from === to}
          onClick={() => setShown({ from, to })}
        >
          Compare
        </Button>
      </Box>
      {diff.loading && <Progress />}
      {diff.error && <ResponseErrorPanel error={diff.error} />}
      {diff.value && (
        <Box mt={1}>
          <Typography variant="body2" gutterBottom>
            From {diff.value.from} to {diff.value.to}
            {diff.value.masked ? ' (secret values masked)' : ''}:
          </Typography>
          <ConfigDiffTable
            diff={diff.value.diff}
            label={`Changes from ${diff.value.from} to ${diff.value.to}`}
          />
        </Box>
      )}
    </Box>
  );
};

/** How many releases one page holds (the server pages with `cursor`/`nextCursor`). */
export const RELEASES_PAGE_SIZE = 50;

/** The releases of a configuration path, newest first (older ones on demand), with compare and rollback. */
export const ReleaseHistory = (props: {
  configPath: string;
  instance: string;
  refreshKey: number;
  busy: boolean;
  canDeploy: boolean;
  start: (
    title: string,
    request: () => Promise<TypedResponse<unknown>>,
  ) => void;
}) => {
  const { configPath, instance } = props;
  const api = useApi(archonApiRef);
  const releases = useAsync(
    () =>
      unwrap(
        api.listReleases({
          // The target's own releases: another target's are not its history.
          query: { path: configPath, instance, limit: RELEASES_PAGE_SIZE },
        }),
      ),
    [api, configPath, instance, props.refreshKey],
  );
  // What runs on the target decides which release is live.
  const running = useAsync(
    () => unwrap(api.getAppStatus({ query: { configPath, instance } })),
    [api, configPath, instance, props.refreshKey],
  );
  // Older pages, read on demand from the server's cursor; a refresh starts over.
  const [older, setOlder] = useState<{
    items: Release[];
    nextCursor?: string;
  }>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<Error>();
  useEffect(() => {
    setOlder(undefined);
    setOlderError(undefined);
  }, [releases.value]);
  const nextCursor = older ? older.nextCursor : releases.value?.nextCursor;
  const loadOlder = async () => {
    if (!nextCursor) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    try {
      const page = await unwrap(
        api.listReleases({
          query: {
            path: configPath,
            instance,
            limit: RELEASES_PAGE_SIZE,
            cursor: nextCursor,
          },
        }),
      );
      setOlder(o => ({
        items: [...(o?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (e) {
      setOlderError(e as Error);
    } finally {
      setLoadingOlder(false);
    }
  };
  const [rollback, setRollback] = useState<Release>();
  const [plan, setPlan] = useState<DeployPlan>();
  const [planError, setPlanError] = useState<Error>();

  useEffect(() => {
    if (!rollback) return;
    setPlan(undefined);
    setPlanError(undefined);
    unwrap(
      api.rollback({
        body: { releaseId: rollback.id, instance, dryRun: true },
      }),
    )
      .then(p => setPlan(p as DeployPlan))
      .catch(e => setPlanError(e as Error));
  }, [api, rollback, instance]);

  const items = [...(releases.value?.items ?? []), ...(older?.items ?? [])];
  const states: Record<string, ArchonReleaseState> = running.value
    ? releaseStates(
        items.filter(
          r => (r.target as { instance?: string }).instance === instance,
        ),
        running.value,
      )
    : {};

  const columns: TableColumn<Release>[] = [
    { title: 'Release', field: 'id', render: r => <code>{r.id}</code> },
    { title: 'Created', field: 'createdAt', render: r => when(r.createdAt) },
    { title: 'By', field: 'createdBy' },
    {
      title: 'Status',
      field: 'status',
      render: r => <ReleaseStatus release={r} state={states[r.id]} />,
    },
    {
      title: 'Actions',
      sorting: false,
      // Rolling back to what already runs would change nothing.
      render: r =>
        states[r.id] === 'live' ? null : (
          <Button
            size="small"
            variant="outlined"
            disabled={props.busy || !props.canDeploy}
            aria-label={`Roll back to ${r.id}`}
            onClick={() => setRollback(r)}
          >
            Roll back…
          </Button>
        ),
    },
  ];

  return (
    <InfoCard
      title={`Releases to ${instance}`}
      subheader={`Every deploy of ${configPath} records a release: its configuration snapshot.`}
    >
      {releases.loading && <Progress />}
      {releases.error && <ResponseErrorPanel error={releases.error} />}
      {releases.value && items.length === 0 && (
        <Typography variant="body2">
          No releases yet: {configPath} was never deployed.
        </Typography>
      )}
      {items.length > 0 && (
        <>
          <ArchonTable<Release>
            title={`${items.length}${nextCursor ? '+' : ''} release${
              items.length === 1 ? '' : 's'
            }`}
            options={{
              paging: items.length > 10,
              pageSize: 10,
              search: false,
              padding: 'dense',
            }}
            columns={columns}
            data={items}
          />
          {nextCursor && (
            <Box mt={1}>
              <Button
                variant="outlined"
                size="small"
                disabled={loadingOlder}
                onClick={loadOlder}
              >
                {loadingOlder ? 'Loading older releases…' : 'Load more'}
              </Button>
            </Box>
          )}
          {olderError && <ResponseErrorPanel error={olderError} />}
          {items.length > 1 && <ReleaseCompare releases={items} />}
        </>
      )}
      {rollback && (
        <ConfirmDialog
          open
          title={`Roll ${configPath} back to ${rollback.id}?`}
          confirmLabel="Roll back now"
          disabled={!plan}
          onClose={() => setRollback(undefined)}
          onConfirm={() => {
            const id = rollback.id;
            setRollback(undefined);
            props.start(`Roll ${configPath} back to ${id}`, () =>
              api.rollback({ body: { releaseId: id, instance } }),
            );
          }}
        >
          <Typography variant="body2" gutterBottom>
            Ships the configuration snapshot of {rollback.id} (from{' '}
            {when(rollback.createdAt)}) as a new release, not today's
            configuration.
          </Typography>
          {!plan && !planError && <Progress />}
          {planError && <ResponseErrorPanel error={planError} />}
          {plan && <DeployPlanView plan={plan} />}
        </ConfirmDialog>
      )}
    </InfoCard>
  );
};
