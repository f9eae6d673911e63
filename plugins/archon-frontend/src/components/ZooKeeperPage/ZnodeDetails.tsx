import { Box, Typography } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ZooKeeperStat } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { SimpleTable } from '../common/SimpleTable';

const STAT_FIELDS: Array<keyof ZooKeeperStat> = [
  'version',
  'cversion',
  'aversion',
  'dataLength',
  'numChildren',
  'ephemeralOwner',
  'ctime',
  'mtime',
  'czxid',
  'mzxid',
  'pzxid',
];

/** A znode's stat (as zkCli shows it) and its ACL. */
export const ZnodeDetails = (props: {
  ensemble: string;
  path: string;
  stat: ZooKeeperStat;
}) => {
  const api = useApi(archonApiRef);
  const acl = useAsync(
    async () =>
      unwrap(
        api.zooKeeperGetAcl({
          path: { ensemble: props.ensemble, znodePath: props.path },
        }),
      ),
    [api, props.ensemble, props.path, props.stat.aversion],
  );
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 32 }}>
      <Box>
        <Typography variant="subtitle2" component="h3">
          Stat
        </Typography>
        <SimpleTable
          label="Stat"
          rows={STAT_FIELDS}
          rowKey={f => f}
          columns={[
            { title: 'Field', nowrap: true, render: f => f },
            {
              title: 'Value',
              nowrap: true,
              mono: true,
              render: f => String(props.stat[f]),
            },
          ]}
        />
      </Box>
      <Box>
        <Typography variant="subtitle2" component="h3">
          ACL {acl.value ? `(version ${acl.value.aclVersion})` : ''}
        </Typography>
        {acl.loading && <Progress />}
        {acl.error && <ResponseErrorPanel error={acl.error} />}
        {acl.value && (
          <SimpleTable
            label="ACL"
            rows={acl.value.acls}
            rowKey={a => `${a.scheme}:${a.id}`}
            columns={[
              { title: 'Scheme', nowrap: true, render: a => a.scheme },
              { title: 'Id', mono: true, render: a => a.id },
              {
                title: 'Permissions',
                nowrap: true,
                render: a => (
                  <span title={a.permissions.join(', ')}>{a.short}</span>
                ),
              },
            ]}
          />
        )}
      </Box>
    </Box>
  );
};
