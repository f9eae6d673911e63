import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { ConfigChangePreview } from '@archon/plugin-archon-common';
import { SimpleTable } from '../common/SimpleTable';

const useStyles = makeStyles(theme => ({
  path: { marginTop: theme.spacing(2), fontFamily: 'monospace' },
}));

interface DiffRow {
  key: string;
  change: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
  definedAt?: string;
}

function rowsOf(diff: {
  added: Array<Record<string, any>>;
  removed: Array<Record<string, any>>;
  changed: Array<Record<string, any>>;
}): DiffRow[] {
  return [
    ...diff.added.map(d => ({
      key: d.key,
      change: 'added' as const,
      to: d.value,
      definedAt: d.definedAt,
    })),
    ...diff.removed.map(d => ({
      key: d.key,
      change: 'removed' as const,
      from: d.value,
      definedAt: d.definedAt,
    })),
    ...diff.changed.map(d => ({
      key: d.key,
      change: 'changed' as const,
      from: d.from,
      to: d.to,
      definedAt: d.definedAt,
    })),
  ].sort((a, b) => (a.key < b.key ? -1 : 1));
}

function failureText(failure: any): string {
  const problems: Array<{ message?: string }> = failure?.problems ?? [];
  return (
    problems
      .map(p => p.message)
      .filter(Boolean)
      .join('; ') || 'does not resolve'
  );
}

/** Key-by-key differences between two effective configurations. */
export const ConfigDiffTable = (props: {
  diff: { added: any[]; removed: any[]; changed: any[] };
  label?: string;
}) => {
  const rows = rowsOf(props.diff);
  if (rows.length === 0) {
    return <Typography variant="body2">No differences.</Typography>;
  }
  return (
    <SimpleTable
      label={props.label ?? 'Differences'}
      rows={rows}
      rowKey={r => `${r.change}:${r.key}`}
      columns={[
        { title: 'Key', width: '20%', mono: true, render: r => r.key },
        {
          title: 'Change',
          width: '12%',
          render: r => <Chip size="small" label={r.change} />,
        },
        {
          title: 'Before',
          width: '24%',
          mono: true,
          render: r => r.from ?? '—',
        },
        { title: 'After', width: '24%', mono: true, render: r => r.to ?? '—' },
        {
          title: 'Defined at',
          width: '20%',
          mono: true,
          render: r => r.definedAt ?? '',
        },
      ]}
    />
  );
};

/** What a proposed edit of a level would do to every path at or below it. */
export const ImpactReportView = ({
  report,
}: {
  report: ConfigChangePreview;
}) => {
  const classes = useStyles();
  const nothing =
    report.changed.length === 0 &&
    report.startsFailing.length === 0 &&
    report.stopsFailing.length === 0;
  return (
    <Box data-testid="impact-report">
      <Typography variant="body2" gutterBottom>
        {report.operation === 'delete' ? 'Deleting' : 'Saving'} the set of{' '}
        <code>{report.levelPath}</code>
        {report.basedOnVersion !== undefined
          ? ` (version ${report.basedOnVersion})`
          : ''}{' '}
        affects {report.changed.length} of {report.pathsAnalyzed} path
        {report.pathsAnalyzed === 1 ? '' : 's'} at or below it.
      </Typography>
      {report.masked && (
        <Typography variant="caption" display="block">
          Secret values are masked.
        </Typography>
      )}
      {nothing && (
        <Alert severity="info">
          No path's effective configuration changes.
        </Alert>
      )}
      {report.startsFailing.map((f: any) => (
        <Alert key={`starts:${f.path}`} severity="error">
          <code>{f.path}</code> would stop resolving: {failureText(f.failure)}
        </Alert>
      ))}
      {report.stopsFailing.map((f: any) => (
        <Alert key={`stops:${f.path}`} severity="success">
          <code>{f.path}</code> would resolve again (today:{' '}
          {failureText(f.previousFailure)})
        </Alert>
      ))}
      {(report.stillFailing ?? []).map((f: any) => (
        <Alert key={`still:${f.path}`} severity="warning">
          <code>{f.path}</code> still does not resolve: {failureText(f.failure)}
        </Alert>
      ))}
      {(report.redeploy ?? []).length > 0 && (
        <Alert severity="warning" data-testid="impact-redeploy">
          Running apps keep the old configuration until redeployed:{' '}
          {(report.redeploy ?? []).map((r, i) => (
            <span key={r.path}>
              {i > 0 && ', '}
              <code>{r.path}</code> (
              {r.targets
                .map(
                  t => `${Object.values(t.target).join(' ')}, ${t.releaseId}`,
                )
                .join('; ')}
              )
            </span>
          ))}
        </Alert>
      )}
      {report.changed.map((c, i) => (
        <Box key={c.path ?? i}>
          <Typography variant="subtitle2" className={classes.path}>
            {c.path}
          </Typography>
          {c.diff && (
            <ConfigDiffTable diff={c.diff} label={`Changes at ${c.path}`} />
          )}
        </Box>
      ))}
    </Box>
  );
};
