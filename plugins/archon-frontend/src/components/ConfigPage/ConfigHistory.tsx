import { useEffect, useState } from 'react';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Chip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ConfigHistoryEntry,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { apiPath, SECRET_MASK } from '../../lib/configPaths';
import { unwrap } from '../../lib/errors';
import { RestoreVersionDialog } from './RestoreVersionDialog';
import { SimpleTable } from '../common/SimpleTable';
import { ConfigValue } from './ConfigValue';

const PAGE = 20;

const hasMaskedValue = (e: ConfigHistoryEntry) =>
  [...Object.values(e.before ?? {}), ...Object.values(e.after ?? {})].includes(
    SECRET_MASK,
  );

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
  },
}));

const Entry = ({
  entry,
  onRestore,
}: {
  entry: ConfigHistoryEntry;
  onRestore?: () => void;
}) => {
  const classes = useStyles();
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box className={classes.summary}>
          <Typography variant="body2">
            {new Date(entry.createdAt).toLocaleString()}
          </Typography>
          <Chip size="small" label={entry.action} />
          <Typography variant="body2">by {entry.actor}</Typography>
          {entry.version !== undefined && (
            <Typography variant="body2" color="textSecondary">
              → version {entry.version}
            </Typography>
          )}
          <Typography variant="body2" color="textSecondary">
            {entry.changedKeys.length === 0
              ? 'no key changed'
              : `changed: ${entry.changedKeys.join(', ')}`}
          </Typography>
          {entry.note && (
            <Typography variant="body2" color="textSecondary">
              ({entry.note})
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails style={{ flexDirection: 'column' }}>
        {onRestore && (
          <Box mb={1}>
            <Button size="small" variant="outlined" onClick={onRestore}>
              Restore this version
            </Button>
          </Box>
        )}
        {entry.changedKeys.length === 0 ? (
          <Typography variant="body2">No key changed.</Typography>
        ) : (
          <SimpleTable
            label={`Changes of ${entry.createdAt}`}
            rows={entry.changedKeys}
            rowKey={key => key}
            columns={[
              { title: 'Key', width: '30%', mono: true, render: key => key },
              {
                title: 'Before',
                width: '35%',
                mono: true,
                render: key => <ConfigValue value={entry.before?.[key]} />,
              },
              {
                title: 'After',
                width: '35%',
                mono: true,
                render: key => <ConfigValue value={entry.after?.[key]} />,
              },
            ]}
          />
        )}
      </AccordionDetails>
    </Accordion>
  );
};

/** Every write through archon to one level, newest first, with before/after per changed key. */
export const ConfigHistory = (props: {
  path: string;
  refreshKey?: number;
  /** Called after "Restore this version" wrote a new version. */
  onRestored?: (result: ConfigWriteResponse) => void;
}) => {
  const { path, refreshKey, onRestored } = props;
  const [restoring, setRestoring] = useState<
    ConfigHistoryEntry & { version: number }
  >();
  const api = useApi(archonApiRef);
  const [items, setItems] = useState<ConfigHistoryEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [masked, setMasked] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();

  const load = async (cursor?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await unwrap(
        api.getConfigHistory({
          path: { configPath: apiPath(path) },
          query: { limit: PAGE, ...(cursor ? { cursor } : {}) },
        }),
      );
      setItems(prev => (cursor ? [...prev, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setMasked(!!page.masked);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, path, refreshKey]);

  return (
    <Box>
      {masked && items.some(hasMaskedValue) && (
        <Alert severity="info" style={{ marginBottom: 8 }}>
          Secret values are masked.
        </Alert>
      )}
      {error && <ResponseErrorPanel error={error} />}
      {!loading && !error && items.length === 0 && (
        <Typography variant="body2">
          No changes to {path} were made through archon yet.
        </Typography>
      )}
      {items.map(entry => (
        <Entry
          key={entry.id}
          entry={entry}
          onRestore={
            entry.after && entry.version !== undefined
              ? () => setRestoring({ ...entry, version: entry.version! })
              : undefined
          }
        />
      ))}
      {restoring && (
        <RestoreVersionDialog
          path={path}
          entry={restoring}
          onClose={() => setRestoring(undefined)}
          onRestored={result => {
            setRestoring(undefined);
            load();
            onRestored?.(result);
          }}
        />
      )}
      {loading && <Progress />}
      {!loading && nextCursor && (
        <Box mt={1}>
          <Button variant="outlined" onClick={() => load(nextCursor)}>
            Load older changes
          </Button>
        </Box>
      )}
    </Box>
  );
};
