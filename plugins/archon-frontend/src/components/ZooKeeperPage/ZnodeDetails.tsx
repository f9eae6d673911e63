import { Box, Typography, makeStyles } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ZooKeeperStat } from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

const useStyles = makeStyles(theme => ({
  table: {
    borderCollapse: 'collapse',
    fontSize: theme.typography.body2.fontSize,
    '& th, & td': {
      textAlign: 'left',
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
      fontFamily: 'monospace',
    },
  },
}));

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
  const classes = useStyles();
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
        <table className={classes.table} aria-label="Stat">
          <tbody>
            {STAT_FIELDS.map(f => (
              <tr key={f}>
                <th scope="row">{f}</th>
                <td>{String(props.stat[f])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Box>
      <Box>
        <Typography variant="subtitle2" component="h3">
          ACL {acl.value ? `(version ${acl.value.aclVersion})` : ''}
        </Typography>
        {acl.loading && <Progress />}
        {acl.error && <ResponseErrorPanel error={acl.error} />}
        {acl.value && (
          <table className={classes.table} aria-label="ACL">
            <thead>
              <tr>
                <th>Scheme</th>
                <th>Id</th>
                <th>Permissions</th>
              </tr>
            </thead>
            <tbody>
              {acl.value.acls.map(a => (
                <tr key={`${a.scheme}:${a.id}`}>
                  <td>{a.scheme}</td>
                  <td>{a.id}</td>
                  <td title={a.permissions.join(', ')}>{a.short}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Box>
    </Box>
  );
};
