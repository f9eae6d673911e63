import { Box } from '@material-ui/core';
import { STATUS_COLORS } from '../PipelinesPage/statusColors';

/**
 * The colours of a state word, as the Pipelines diagram fills and borders
 * its nodes: the graph's words directly; an app's own words (archon-common
 * `ArchonAppState`) as the graph turns them into node states (archon-marathon
 * `graphState`): crash-looping has failed, suspended is stopped. `deploying`
 * has no node state of its own: a change on its way, drawn in blue.
 */
export function stateColors(word: string): { fill: string; stroke: string } {
  switch (word) {
    case 'crash-looping':
      return STATUS_COLORS.failed;
    case 'suspended':
      return STATUS_COLORS.stopped;
    case 'missing':
      return STATUS_COLORS.unknown;
    case 'deploying':
      return { fill: '#e3f2fd', stroke: '#1565c0' };
    default:
      return (
        STATUS_COLORS[word as keyof typeof STATUS_COLORS] ??
        STATUS_COLORS.unknown
      );
  }
}

/** The swatch of a state word: the Pipelines node's fill and border, as its legend draws them. */
export const StateSwatch = ({ state }: { state: string }) => {
  const c = stateColors(state);
  return (
    <svg
      width={18}
      height={12}
      aria-hidden
      data-state-swatch={state}
      style={{ flexShrink: 0 }}
    >
      <rect
        x={0.75}
        y={0.75}
        width={16.5}
        height={10.5}
        rx={2}
        fill={c.fill}
        stroke={c.stroke}
        strokeWidth={1.5}
      />
    </svg>
  );
};

/**
 * A state word with its swatch, one line: how the portal shows a state word
 * (an app's on the Marathon page, the Deploy and Monitor tabs; a node's on
 * the Pipelines page), so one word looks the same everywhere and two words
 * never share a look (`running` is an outline, `healthy` filled green).
 */
export const StateMark = ({ state }: { state: string }) => (
  <Box
    component="span"
    display="inline-flex"
    alignItems="center"
    style={{ gap: 6, whiteSpace: 'nowrap' }}
    data-state={state}
  >
    <StateSwatch state={state} />
    {state}
  </Box>
);
