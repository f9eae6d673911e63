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
      <li className={classes.item}>
        <svg width={30} height={8} aria-hidden>
          <line
            x1={0}
            y1={4}
            x2={30}
            y2={4}
            stroke={EDGE_COLOR}
            strokeWidth={1.5}
          />
        </svg>
        <Typography variant="caption">
          data flow (declared and observed)
        </Typography>
      </li>
      <li className={classes.item}>
        <svg width={30} height={8} aria-hidden>
          <line
            x1={0}
            y1={4}
            x2={30}
            y2={4}
            stroke={DRIFT_COLOR}
            strokeWidth={2}
            strokeDasharray="6 4"
          />
        </svg>
        <Typography variant="caption">
          drift: declared but not observed, or observed but not declared (
          {driftCount} shown)
        </Typography>
      </li>
      <li className={classes.item}>
        <svg width={30} height={8} aria-hidden>
          <line
            x1={0}
            y1={4}
            x2={30}
            y2={4}
            stroke={LAGGING_COLOR}
            strokeWidth={2}
          />
        </svg>
        <Typography variant="caption">
          consumer lagging: time lag over the threshold (the figure on a
          consumer's edge, e.g. "3 m lag")
        </Typography>
      </li>
      {mirrors && (
        <li className={classes.item}>
          <svg width={30} height={8} aria-hidden>
            <line
              x1={0}
              y1={4}
              x2={30}
              y2={4}
              stroke={MIRROR_COLOR}
              strokeWidth={2}
              strokeDasharray="2 3"
            />
          </svg>
          <Typography variant="caption">
            mirror: a topic's replica on another Kafka cluster (MirrorMaker 2)
          </Typography>
        </li>
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
