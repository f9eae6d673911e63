import {
  Box,
  IconButton,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { GraphEdge } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatMetric, formatTimeLag } from './nodeLabels';

const useStyles = makeStyles(theme => ({
  panel: { padding: theme.spacing(2), maxHeight: 640, overflow: 'auto' },
  evidence: { margin: 0, paddingLeft: theme.spacing(2) },
  drift: { color: theme.palette.error.main, fontWeight: 600 },
}));

type EndpointUses = Array<{ endpoint?: unknown }> | undefined;

// Rates arrive as 0.9998500224966255; people read 1. Declared endpoints
// (archon.writes.files & co., a connector's file) read `writes file:/…`.
const formatValue = (k: string, v: unknown) => {
  if (typeof v === 'number') return formatMetric(v);
  if (k === 'endpoints' && v && typeof v === 'object') {
    const { writes, reads } = v as {
      writes?: EndpointUses;
      reads?: EndpointUses;
    };
    return [
      ...(writes ?? []).map(u => `writes ${String(u.endpoint)}`),
      ...(reads ?? []).map(u => `reads ${String(u.endpoint)}`),
    ].join('; ');
  }
  if (k === 'timeLagByTopic' && v && typeof v === 'object') {
    // A group's time lag per topic: "sample.raw 3 m lag (lagging)".
    return Object.entries(
      v as Record<string, { ms: number; lagging?: boolean }>,
    )
      .map(
        ([topic, lag]) =>
          `${topic} ${formatTimeLag(lag.ms)}${lag.lagging ? ' (lagging)' : ''}`,
      )
      .join('; ');
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
};

const EdgeEvidence = ({ edge, self }: { edge: GraphEdge; self: string }) => {
  const classes = useStyles();
  const other = edge.from === self ? `→ ${edge.to}` : `← ${edge.from}`;
  return (
    <li>
      <Typography variant="body2">
        <strong>{edge.kind}</strong> {other}
        {edge.drift && (
          <span className={classes.drift}> drift: {edge.drift}</span>
        )}
      </Typography>
      <ul className={classes.evidence}>
        {(edge.evidence?.declared ?? []).map(d => (
          <li key={`d${d}`}>
            <Typography variant="caption">declared: {d}</Typography>
          </li>
        ))}
        {(edge.evidence?.observed ?? []).map(o => (
          <li key={`o${o}`}>
            <Typography variant="caption">observed: {o}</Typography>
          </li>
        ))}
      </ul>
    </li>
  );
};

/**
 * The selected node: its live status, attributes, every edge with the
 * evidence behind it, and a link to its catalog entity. Read from
 * `/graph/nodes/{id}` so edges hidden by the diagram's filters show too.
 */
export const NodePanel = (props: { nodeId: string; onClose: () => void }) => {
  const classes = useStyles();
  const api = useApi(archonApiRef);
  const { value, loading, error } = useAsync(
    () => unwrap(api.getGraphNode({ path: { nodeId: props.nodeId } })),
    [api, props.nodeId],
  );
  const node = value?.node;
  return (
    <Paper
      className={classes.panel}
      component="section"
      aria-label={`Details of ${props.nodeId}`}
    >
      <Box display="flex" alignItems="flex-start">
        <Box flexGrow={1}>
          <Typography variant="h6">{node?.name ?? props.nodeId}</Typography>
          <Typography variant="caption">{props.nodeId}</Typography>
        </Box>
        <IconButton
          size="small"
          aria-label="Close details"
          onClick={props.onClose}
        >
          <CloseIcon />
        </IconButton>
      </Box>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {node && (
        <>
          <Typography variant="body2">
            {node.kind} in {node.system}
            {node.cluster ? ` (${node.cluster})` : ''}
          </Typography>
          <Typography variant="body2">
            Status: <strong>{node.status?.state ?? 'unknown'}</strong>
            {node.status?.summary ? ` — ${node.status.summary}` : ''}
          </Typography>
          {node.entityRef ? (
            <Typography variant="body2">
              Catalog: <EntityRefLink entityRef={node.entityRef} />
            </Typography>
          ) : (
            <Typography variant="body2">No catalog entity.</Typography>
          )}
          <Table size="small" aria-label="Attributes and metrics">
            <TableBody>
              {Object.entries({
                ...(node.status?.metrics ?? {}),
                ...(node.attributes ?? {}),
              }).map(([k, v]) => (
                <TableRow key={k}>
                  <TableCell
                    component="th"
                    scope="row"
                    // Keys are names: a long value must not squeeze them onto two lines.
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {k}
                  </TableCell>
                  <TableCell
                    // A file path is one long word: let it wrap inside the panel.
                    style={
                      k === 'endpoints'
                        ? { overflowWrap: 'anywhere' }
                        : undefined
                    }
                  >
                    {formatValue(k, v)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Typography variant="subtitle2" style={{ marginTop: 12 }}>
            Edges ({value.edges.length})
          </Typography>
          <ul className={classes.evidence}>
            {value.edges.map(e => (
              <EdgeEvidence
                key={`${e.from}|${e.kind}|${e.to}`}
                edge={e}
                self={node.id}
              />
            ))}
          </ul>
        </>
      )}
    </Paper>
  );
};
