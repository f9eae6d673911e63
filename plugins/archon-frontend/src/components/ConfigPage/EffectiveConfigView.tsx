import { Box, Chip, Link, Typography, makeStyles } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ConfigProvenance } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { apiPath, SECRET_MASK } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';
import { StaleBanner } from '../common/StaleBanner';
import { ArchonTable } from '../common/ArchonTable';

const useStyles = makeStyles(theme => ({
  mono: { fontFamily: 'monospace', overflowWrap: 'anywhere' },
  shadow: {
    fontFamily: 'monospace',
    fontSize: '0.85em',
    color: theme.palette.text.secondary,
  },
}));

interface Row {
  key: string;
  value: string;
  provenance?: ConfigProvenance;
  masked: boolean;
}

/**
 * The merged, substituted configuration of a path with, per key, the level
 * that set it, the raw value before substitution and what it shadows.
 */
export const EffectiveConfigView = (props: {
  path: string;
  /** Changes re-fetch the view (e.g. after a save). */
  refreshKey?: number;
  /** Called with a level path when the user follows a "defined at" link. */
  onSelectLevel?: (path: string) => void;
}) => {
  const { path, onSelectLevel } = props;
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const { value, loading, error } = useAsync(
    () =>
      unwrap(
        api.getEffectiveConfig({
          path: { configPath: apiPath(path) },
          // Keys that resolve are shown even when others do not.
          query: { explain: 'partial' },
        }),
      ),
    [api, path, props.refreshKey],
  );

  if (loading) return <Progress />;
  if (isApiError(error, 422)) {
    const details = error.body?.error?.details as
      | { problems?: Array<{ message: string }>; unresolvedKeys?: string[] }
      | undefined;
    return (
      <WarningPanel
        severity="error"
        title={`The configuration of ${path} does not resolve`}
        defaultExpanded
      >
        <ul>
          {(details?.problems ?? [{ message: error.message }]).map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
        {details?.unresolvedKeys?.length ? (
          <Typography variant="body2">
            Unresolved keys: {details.unresolvedKeys.join(', ')}
          </Typography>
        ) : null}
      </WarningPanel>
    );
  }
  if (isApiError(error, 404)) {
    return <Alert severity="info">{error.message}</Alert>;
  }
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const rows: Row[] = Object.keys(value.properties)
    .sort()
    .map(key => ({
      key,
      value: value.properties[key],
      provenance: value.provenance[key],
      masked: !!value.masked && value.properties[key] === SECRET_MASK,
    }));

  const levelLink = (level: string) =>
    onSelectLevel ? (
      <Link
        component="button"
        variant="body2"
        className={classes.mono}
        onClick={() => onSelectLevel(level)}
      >
        {level}
      </Link>
    ) : (
      <span className={classes.mono}>{level}</span>
    );

  const columns: TableColumn<Row>[] = [
    {
      title: 'Key',
      field: 'key',
      render: r => <span className={classes.mono}>{r.key}</span>,
    },
    {
      title: 'Value',
      field: 'value',
      render: r => (
        <Box>
          <span className={classes.mono}>{r.value}</span>
          {r.masked && (
            <>
              {' '}
              <Chip size="small" label="masked" />
            </>
          )}
          {r.provenance && r.provenance.raw !== r.value && !r.masked && (
            <Typography
              variant="caption"
              display="block"
              className={classes.shadow}
            >
              from {r.provenance.raw}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Defined at',
      field: 'provenance.definedAt',
      render: r => (r.provenance ? levelLink(r.provenance.definedAt) : ''),
    },
    {
      title: 'Shadows',
      sorting: false,
      render: r =>
        r.provenance?.shadowed.length ? (
          <Box>
            {r.provenance.shadowed.map(s => (
              <Typography
                key={s.path}
                variant="caption"
                display="block"
                className={classes.shadow}
              >
                {s.path}: {s.raw}
              </Typography>
            ))}
          </Box>
        ) : (
          <Typography variant="caption" color="textSecondary">
            —
          </Typography>
        ),
    },
  ];

  return (
    <Box>
      <StaleBanner answer={value} system="ZooKeeper" />
      {value.errors?.length ? (
        <WarningPanel
          severity="error"
          title={`The configuration of ${path} does not resolve: ${
            value.errors.length
          } key${value.errors.length === 1 ? '' : 's'}`}
          defaultExpanded
        >
          <ul>
            {value.errors.map(e => (
              <li key={e.key}>
                <span className={classes.mono}>{e.key}</span>: {e.reason}
              </li>
            ))}
          </ul>
          <Typography variant="body2">
            The keys below resolve; a deploy of {path} is refused until all do.
          </Typography>
        </WarningPanel>
      ) : null}
      {rows.some(r => r.masked) && (
        <Alert severity="info" style={{ marginBottom: 8 }}>
          Secret values are shown as {SECRET_MASK}: revealing them needs the
          permission archon.config.secrets.reveal.
        </Alert>
      )}
      <ArchonTable<Row>
        title={`Effective configuration of ${path}`}
        subtitle={`Levels: ${
          Object.entries(value.versions)
            .map(([p, v]) => `${p} (v${v})`)
            .join(', ') || 'none'
        }`}
        options={{
          paging: rows.length > 50,
          pageSize: 50,
          search: true,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No keys are set for {path} or above it.
            </Typography>
          </Box>
        }
      />
    </Box>
  );
};
