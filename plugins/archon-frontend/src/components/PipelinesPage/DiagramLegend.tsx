import type { ReactNode } from 'react';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { StateSwatch } from '../common/StateMark';
import {
  DRIFT_COLOR,
  EDGE_COLOR,
  LAGGING_COLOR,
  MIRROR_COLOR,
  STATUS_COLORS,
} from './statusColors';

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    marginTop: theme.spacing(1),
    listStyle: 'none',
    padding: 0,
  },
  item: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) },
}));

/** A legend entry for a kind of edge: a short line drawn as the edge is. */
const EdgeItem = (props: {
  color: string;
  width?: number;
  dash?: string;
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <li className={classes.item}>
      <svg width={30} height={8} aria-hidden>
        <line
          x1={0}
          y1={4}
          x2={30}
          y2={4}
          stroke={props.color}
          strokeWidth={props.width ?? 2}
          strokeDasharray={props.dash}
        />
      </svg>
      <Typography variant="caption">{props.children}</Typography>
    </li>
  );
};

/** What the colours and dashes of the diagram mean. */
export const DiagramLegend = ({
  driftCount,
  mirrors,
}: {
  driftCount: number;
  /** Explain the mirror edge (more than one cluster, or mirrors shown). */
  mirrors?: boolean;
}) => {
  const classes = useStyles();
  return (
    <Box component="ul" className={classes.legend} aria-label="Legend">
      {Object.keys(STATUS_COLORS).map(state => (
        <li key={state} className={classes.item}>
          <StateSwatch state={state} />
          <Typography variant="caption">{state}</Typography>
        </li>
      ))}
      <EdgeItem color={EDGE_COLOR} width={1.5}>
        data flow (declared and observed; an endpoint link across a file or URL
        is declared on both sides, nothing observes it)
      </EdgeItem>
      <EdgeItem color={DRIFT_COLOR} dash="6 4">
        drift: declared but not observed, or observed but not declared (
        {driftCount} shown)
      </EdgeItem>
      <EdgeItem color={LAGGING_COLOR}>
        consumer lagging: time lag over the threshold (the figure on a
        consumer's edge, e.g. "3 m lag")
      </EdgeItem>
      {mirrors && (
        <EdgeItem color={MIRROR_COLOR} dash="2 3">
          mirror: a topic's replica on another Kafka cluster (MirrorMaker 2)
        </EdgeItem>
      )}
      <li className={classes.item}>
        <svg width={18} height={12} aria-hidden>
          <rect
            width={18}
            height={12}
            rx={2}
            fill="#fff"
            stroke="#9e9e9e"
            strokeDasharray="4 3"
          />
        </svg>
        <Typography variant="caption">
          placeholder (referenced, not reported)
        </Typography>
      </li>
    </Box>
  );
};
