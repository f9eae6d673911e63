import { Box, Typography } from '@material-ui/core';
import { ResponseErrorPanel, TrendLine } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { formatCount } from '../common/format';

/**
 * The group's total lag over the last `minutes`, from the sampler's lag
 * history (`/lag-history`), as a small line with its latest and largest
 * value. Backstage's TrendLine draws it (react-sparklines, already part of
 * core-components), so no chart library is added for one line.
 */
export const GroupLagHistory = (props: {
  cluster: string;
  groupId: string;
  minutes?: number;
}) => {
  const { cluster, groupId } = props;
  const minutes = props.minutes ?? 60;
  const api = useApi(archonApiRef);
  const history = useAsync(
    () =>
      unwrap(
        api.kafkaGetConsumerGroupLagHistory({
          path: { cluster, group: groupId },
          query: { minutes },
        }),
      ),
    [api, cluster, groupId, minutes],
  );
  if (history.error) return <ResponseErrorPanel error={history.error} />;
  if (!history.value) return null;
  const lags = history.value.items.map(p => p.lag ?? 0);
  if (lags.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary">
        No lag history yet: the sampler records the group's lag once a minute (
        {lags.length} sample{lags.length === 1 ? '' : 's'} in the last {minutes}{' '}
        min).
      </Typography>
    );
  }
  return (
    <Box
      display="flex"
      alignItems="center"
      style={{ gap: 16 }}
      data-testid="group-lag-history"
    >
      <Box width={240} height={40}>
        <TrendLine
          data={lags}
          title={`Lag of ${groupId}, last ${minutes} min`}
          color="#1f77b4"
          min={0}
        />
      </Box>
      <Typography variant="body2">
        Lag over the last {minutes} min ({lags.length} samples): now{' '}
        {formatCount(lags[lags.length - 1])}, highest{' '}
        {formatCount(Math.max(...lags))}
      </Typography>
    </Box>
  );
};
