import { Tooltip, Typography } from '@material-ui/core';
import { formatDuration } from '../common/format';

/**
 * A consumer group's time lag (the age of the oldest record it has not
 * consumed): the figure, "≥" when some partitions could not be read,
 * "unknown" with why in the tooltip when none could (never a 0 that is not
 * one), and in the error colour when the group lags (over the threshold).
 */
export const TimeLagCell = (props: {
  timeLagMs?: number | null;
  timeLagUnknown?: string | null;
  lagging?: boolean;
  thresholdSeconds?: number;
}) => {
  const { timeLagMs, timeLagUnknown, lagging, thresholdSeconds } = props;
  if (timeLagMs === null || timeLagMs === undefined) {
    return timeLagUnknown ? (
      <Tooltip title={timeLagUnknown}>
        <span
          data-testid="time-lag"
          style={{ textDecoration: 'underline dotted' }}
        >
          unknown
        </span>
      </Tooltip>
    ) : (
      <span data-testid="time-lag">—</span>
    );
  }
  const text = `${timeLagUnknown ? '≥ ' : ''}${formatDuration(timeLagMs)}`;
  const why = [
    lagging && thresholdSeconds !== undefined
      ? `Lagging: over the threshold of ${thresholdSeconds} s`
      : undefined,
    timeLagUnknown ? `At least: ${timeLagUnknown}` : undefined,
  ].filter(Boolean);
  const figure = (
    <Typography
      component="span"
      variant="body2"
      data-testid="time-lag"
      data-lagging={lagging ? 'true' : 'false'}
      color={lagging ? 'error' : 'inherit'}
      style={{
        whiteSpace: 'nowrap',
        ...(lagging ? { fontWeight: 600 } : {}),
        ...(timeLagUnknown ? { textDecoration: 'underline dotted' } : {}),
      }}
    >
      {text}
    </Typography>
  );
  return why.length ? (
    <Tooltip title={why.join('. ')}>{figure}</Tooltip>
  ) : (
    figure
  );
};
