import type { GraphEdge } from '@archon/plugin-archon-common';
import { edgeKey, isDrifting } from './graphModel';
import type { Point } from './graphLayout';
import {
  DRIFT_COLOR,
  EDGE_COLOR,
  LAGGING_COLOR,
  MIRROR_COLOR,
} from './statusColors';
import { formatTimeLag } from './nodeLabels';

/** The edge label's font size in diagram units (drawn only at 11 px or more). */
export const EDGE_FONT = 11;

/** The point halfway along a polyline, where its label goes. */
export function midpoint(points: Point[]): Point {
  const lengths = points
    .slice(1)
    .map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  let left = lengths.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    if (left <= lengths[i] && lengths[i] > 0) {
      const t = left / lengths[i];
      return {
        x: points[i].x + (points[i + 1].x - points[i].x) * t,
        y: points[i].y + (points[i + 1].y - points[i].y) * t,
      };
    }
    left -= lengths[i];
  }
  return points[0];
}

/**
 * One edge: drifting edges dashed red, mirrors (a topic's replica on
 * another Kafka cluster) dotted purple; a consumer's time lag (consumes-from
 * edges with `metrics.timeLagMs`) written on it ("3 m lag"), the edge and
 * its label in the error colour when the consumer lags — the rule of the
 * groups tab and the Home count (archon.kafka.lagThresholdSeconds).
 */
export const DiagramEdge = (props: {
  edge: GraphEdge;
  points: Point[];
  title: string;
  /** Whether the label's text is drawn (it would be under 11 px otherwise). */
  showLabel: boolean;
}) => {
  const { edge: e, points } = props;
  const drift = isDrifting(e);
  const timeLagMs = e.metrics?.timeLagMs;
  const lagging = timeLagMs !== undefined && e.lagging === true;
  const mirror = e.kind === 'mirrors';
  let color = EDGE_COLOR;
  if (drift) color = DRIFT_COLOR;
  else if (lagging) color = LAGGING_COLOR;
  else if (mirror) color = MIRROR_COLOR;
  const d = points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
  const at = timeLagMs !== undefined ? midpoint(points) : undefined;
  let marker = '';
  if (drift) marker = '-drift';
  else if (lagging) marker = '-lagging';
  else if (mirror) marker = '-mirror';
  // Drift is dashed; a mirror that does not drift is dotted.
  let dash: string | undefined;
  if (drift) dash = '6 4';
  else if (mirror) dash = '2 3';
  return (
    <g>
      <path
        d={d}
        fill="none"
        data-edge={edgeKey(e)}
        data-drift={drift ? 'true' : undefined}
        data-lagging={lagging ? 'true' : undefined}
        stroke={color}
        data-kind={e.kind}
        strokeWidth={drift || lagging || mirror ? 2 : 1.3}
        strokeDasharray={dash}
        markerEnd={`url(#archon-arrow${marker})`}
      >
        <title>{props.title}</title>
      </path>
      {at && props.showLabel && (
        <text
          data-edge-label={edgeKey(e)}
          x={at.x}
          y={at.y - 4}
          textAnchor="middle"
          fontSize={EDGE_FONT}
          fill={lagging ? LAGGING_COLOR : '#455a64'}
          fontWeight={lagging ? 600 : undefined}
          // A halo keeps the figure readable where it crosses the line.
          stroke="#fff"
          strokeWidth={3}
          paintOrder="stroke"
        >
          {formatTimeLag(timeLagMs!)}
          <title>{props.title}</title>
        </text>
      )}
    </g>
  );
};
