import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  Box,
  IconButton,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import ZoomInIcon from '@material-ui/icons/ZoomIn';
import ZoomOutIcon from '@material-ui/icons/ZoomOut';
import FullscreenIcon from '@material-ui/icons/ZoomOutMap';
import type { GraphEdge, GraphNode } from '@archon/plugin-archon-common';
import { edgeKey, isDrifting, type PipelineGraph } from './graphModel';
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  cachedLayout,
  topologyKey,
  type Layout,
} from './graphLayout';
import {
  DRIFT_COLOR,
  EDGE_COLOR,
  LAGGING_COLOR,
  MIRROR_COLOR,
  STATUS_COLORS,
} from './statusColors';
import { DiagramEdge, EDGE_FONT } from './DiagramEdge';
import { usePanZoom } from './usePanZoom';
import { DiagramLegend } from './DiagramLegend';
import { layoutAsync } from './layoutAsync';
import { foldLayout } from './foldLayout';
import {
  KIND_FONT,
  NAME_FONT,
  formatTimeLag,
  kindLine,
  nodeLabel,
  readableAt,
} from './nodeLabels';

const useStyles = makeStyles(theme => ({
  frame: {
    position: 'relative',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
    background: theme.palette.background.paper,
  },
  svg: { display: 'block', width: '100%', cursor: 'grab', touchAction: 'none' },
  controls: { position: 'absolute', top: 4, right: 4, display: 'flex' },
  node: {
    cursor: 'pointer',
    '&:focus': { outline: 'none' },
    '&:focus > rect': { strokeWidth: 3 },
  },
}));

const stateOf = (n: GraphNode) => n.status?.state ?? 'unknown';

/** Arrow heads by the suffix of their id (DiagramEdge picks one), in the edge's colour. */
const ARROWS: Array<[string, string]> = [
  ['', EDGE_COLOR],
  ['-drift', DRIFT_COLOR],
  ['-lagging', LAGGING_COLOR],
  ['-mirror', MIRROR_COLOR],
];

/** Text of an edge for its tooltip and for screen readers. */
export function describeEdge(e: GraphEdge, names: Map<string, string>): string {
  let drift = '';
  if (e.drift) drift = ` (drift: ${e.drift.replace(/-/g, ' ')})`;
  else if (e.driftCount)
    drift = ` (${e.driftCount} of ${e.members} edges drift)`;
  const lag =
    e.metrics?.timeLagMs !== undefined
      ? ` (${formatTimeLag(e.metrics.timeLagMs)}${
          e.lagging ? ', lagging' : ''
        })`
      : '';
  return `${names.get(e.from) ?? e.from} ${e.kind} ${
    names.get(e.to) ?? e.to
  }${drift}${lag}`;
}

/**
 * The data-flow diagram: nodes coloured by their live state, drifting edges
 * dashed red, zoom and pan. Used by the Pipelines page and the entity tab.
 * The layout (dagre; in a web worker from 120 nodes, so big graphs do not
 * freeze the page) re-runs only when the set of nodes or edges changes:
 * status refreshes re-colour nodes in place, keeping positions and zoom.
 */
export const PipelineDiagram = (props: {
  graph: PipelineGraph;
  selectedId?: string;
  onSelect: (id: string) => void;
  /** A node to emphasise (the entity of a lineage). */
  rootId?: string;
  /**
   * Write each node's cluster beside its kind (more than one cluster is
   * configured: `orders` on local and on dr are different topics).
   */
  showClusters?: boolean;
  /** Changing it fits the diagram to the view again (a new query). */
  fitKey?: string;
  height?: number;
}) => {
  const classes = useStyles();
  const { graph } = props;
  const key = useMemo(() => topologyKey(graph), [graph]);
  const [layout, setLayout] = useState<{ key: string; layout: Layout }>();
  const graphRef = useRef(graph);
  graphRef.current = graph;

  useEffect(() => {
    if (layout?.key === key) return undefined;
    let cancelled = false;
    const graphNow = graphRef.current;
    layoutAsync(graphNow, key)
      // A worker that cannot load the bundle: lay out in place instead.
      .catch(() => cachedLayout(graphNow, key))
      .then(result => {
        if (!cancelled) setLayout({ key, layout: result });
      });
    return () => {
      cancelled = true;
    };
  }, [key, layout?.key]);

  // The size of the view decides whether a long chain is folded into rows;
  // measured before the first paint, and again when the view changes size.
  const [viewSize, setViewSize] = useState<{ width: number; height: number }>();
  const current = useMemo(
    () =>
      layout && viewSize
        ? foldLayout(layout.layout, viewSize, readableAt(NAME_FONT))
        : layout?.layout,
    [layout, viewSize],
  );
  const { svgRef, transform, fit, zoomBy, handlers } = usePanZoom({
    width: current?.width ?? 0,
    height: current?.height ?? 0,
  });
  const hasLayout = Boolean(layout);
  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return undefined;
    const measure = () => {
      const { width, height } = svg.getBoundingClientRect();
      setViewSize(prev =>
        prev?.width === width && prev?.height === height
          ? prev
          : { width, height },
      );
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(svg);
    return () => observer.disconnect();
  }, [hasLayout, svgRef]);
  const fitted = useRef<string>();
  useEffect(() => {
    // Fit once per view; status refreshes and new members keep the zoom.
    const fitKey = props.fitKey ?? '';
    // Wait for the layout of the new view; the old one may still be shown.
    if (
      current &&
      viewSize &&
      layout?.key === key &&
      fitted.current !== fitKey
    ) {
      fitted.current = fitKey;
      fit({ minScale: readableAt(NAME_FONT) });
    }
  }, [current, viewSize, layout?.key, key, props.fitKey, fit]);

  // Text that would render under 11 px is hidden, not drawn unreadably small.
  const showKind = transform.k >= readableAt(KIND_FONT);
  const showName = transform.k >= readableAt(NAME_FONT);
  const showEdgeLabel = transform.k >= readableAt(EDGE_FONT);
  const names = useMemo(
    () => new Map(graph.nodes.map(n => [n.id, n.name])),
    [graph.nodes],
  );

  if (!current) {
    return (
      <Box>
        <Typography variant="body2">
          Laying out {graph.nodes.length} nodes…
        </Typography>
        <Progress />
      </Box>
    );
  }

  return (
    <Box>
      <div className={classes.frame}>
        <svg
          ref={svgRef}
          className={classes.svg}
          style={{ height: props.height ?? 560 }}
          role="group"
          aria-label={`Data-flow diagram with ${graph.nodes.length} nodes and ${graph.edges.length} edges`}
          {...handlers}
        >
          <defs>
            {ARROWS.map(([suffix, color]) => (
              <marker
                key={suffix}
                id={`archon-arrow${suffix}`}
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
              </marker>
            ))}
          </defs>
          <g
            transform={`translate(${transform.x},${transform.y}) scale(${transform.k})`}
          >
            {graph.edges.map(e => {
              const points = current.edges.get(edgeKey(e));
              if (!points?.length) return null;
              return (
                <DiagramEdge
                  key={edgeKey(e)}
                  edge={e}
                  points={points}
                  title={describeEdge(e, names)}
                  showLabel={showEdgeLabel}
                />
              );
            })}
            {graph.nodes.map(n => {
              const p = current.nodes.get(n.id);
              if (!p) return null;
              const state = stateOf(n);
              // A state this build does not know yet (a newer backend) draws as unknown.
              const colors = STATUS_COLORS[state] ?? STATUS_COLORS.unknown;
              const selected = n.id === props.selectedId;
              const placeholder = Boolean(n.attributes?.placeholder);
              const select = () => props.onSelect(n.id);
              return (
                <g
                  key={n.id}
                  data-node-id={n.id}
                  data-state={state}
                  className={classes.node}
                  transform={`translate(${p.x - NODE_WIDTH / 2},${
                    p.y - NODE_HEIGHT / 2
                  })`}
                  role="button"
                  tabIndex={0}
                  aria-pressed={selected}
                  aria-label={`${n.kind} ${n.name}, ${state}`}
                  onClick={select}
                  onKeyDown={event => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      select();
                    }
                  }}
                >
                  <rect
                    width={NODE_WIDTH}
                    height={NODE_HEIGHT}
                    rx={n.kind === 'topic' ? 20 : 4}
                    fill={colors.fill}
                    stroke={
                      selected || n.id === props.rootId
                        ? '#1565c0'
                        : colors.stroke
                    }
                    strokeWidth={selected || n.id === props.rootId ? 3 : 1.5}
                    strokeDasharray={placeholder ? '4 3' : undefined}
                  />
                  {showKind && (
                    <text x={8} y={14} fontSize={KIND_FONT} fill="#546e7a">
                      {kindLine(n, props.showClusters)}
                      {n.attributes?.collapsed
                        ? ` ×${n.attributes.members}`
                        : ''}
                    </text>
                  )}
                  {showName && (
                    <text
                      x={8}
                      y={showKind ? 31 : NODE_HEIGHT / 2 + NAME_FONT / 2 - 2}
                      fontSize={NAME_FONT}
                      fill="#212121"
                    >
                      {nodeLabel(n)}
                    </text>
                  )}
                  <title>{`${n.id}\n${state}${
                    n.status?.summary ? `: ${n.status.summary}` : ''
                  }`}</title>
                </g>
              );
            })}
          </g>
        </svg>
        <div className={classes.controls}>
          <Tooltip title="Zoom in">
            <IconButton
              size="small"
              aria-label="Zoom in"
              onClick={() => zoomBy(1.25)}
            >
              <ZoomInIcon />
            </IconButton>
          </Tooltip>
          <Tooltip title="Zoom out">
            <IconButton
              size="small"
              aria-label="Zoom out"
              onClick={() => zoomBy(0.8)}
            >
              <ZoomOutIcon />
            </IconButton>
          </Tooltip>
          <Tooltip title="Fit to view">
            <IconButton
              size="small"
              aria-label="Fit to view"
              onClick={() => fit()}
            >
              <FullscreenIcon />
            </IconButton>
          </Tooltip>
        </div>
      </div>
      <DiagramLegend
        driftCount={graph.edges.filter(isDrifting).length}
        mirrors={
          props.showClusters || graph.edges.some(e => e.kind === 'mirrors')
        }
      />
    </Box>
  );
};
