import type { GraphNodeStatusStateEnum } from '@archon/plugin-archon-common';

/** Fill and border per node state; the legend shows the same pairs. */
export const STATUS_COLORS: Record<
  GraphNodeStatusStateEnum,
  { fill: string; stroke: string }
> = {
  // Verified healthy: a green fill that reads apart from running's outline
  // even in a 12 px swatch (the app state cells use the same colours).
  healthy: { fill: '#c8e6c9', stroke: '#2e7d32' },
  // Running without health checks: green outline, no green fill.
  running: { fill: '#ffffff', stroke: '#2e7d32' },
  degraded: { fill: '#fff1d6', stroke: '#ef6c00' },
  failed: { fill: '#fde2e1', stroke: '#c62828' },
  stopped: { fill: '#eceff1', stroke: '#546e7a' },
  unknown: { fill: '#f5f5f5', stroke: '#9e9e9e' },
};

export const DRIFT_COLOR = '#d32f2f';
export const EDGE_COLOR = '#78909c';
/** A consumer whose time lag is over the threshold (the groups tab's error colour). */
export const LAGGING_COLOR = '#c62828';
/** A mirror (MirrorMaker 2) edge: a topic's copy on another Kafka cluster. */
export const MIRROR_COLOR = '#6a1b9a';
