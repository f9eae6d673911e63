import { useState } from 'react';
import {
  Box,
  Button,
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ZooKeeperSearchResult } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';

/** Matches shown (the API stops at this many). */
const MAX_RESULTS = 200;

/** Znode paths containing a text, at or below a prefix. */
export const ZnodeSearch = (props: {
  ensemble: string;
  prefix: string;
  onOpen: (path: string) => void;
}) => {
  const api = useApi(archonApiRef);
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [result, setResult] = useState<ZooKeeperSearchResult>();

  const search = async () => {
    if (!query.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await unwrap(
          api.zooKeeperSearch({
            path: { ensemble: props.ensemble },
            query: {
              query: query.trim(),
              prefix: props.prefix,
              maxResults: MAX_RESULTS,
            },
          }),
        ),
      );
    } catch (e) {
      setError(e as Error);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box>
      <Box display="flex" style={{ gap: 8 }}>
        <TextField
          id="znode-search"
          label="Find znodes"
          helperText={`Paths containing the text, at or below ${props.prefix}`}
          size="small"
          variant="outlined"
          fullWidth
          value={query}
          onChange={e => setQuery(e.target.value)}
          onKeyDown={e => {
            if (e.key === 'Enter') search();
          }}
        />
        <Button
          variant="outlined"
          onClick={search}
          disabled={busy || !query.trim()}
        >
          Search
        </Button>
      </Box>
      {busy && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {result && (
        <Box mt={1}>
          <Typography variant="body2" role="status">
            {result.matches.length} match
            {result.matches.length === 1 ? '' : 'es'} for "{result.query}" (
            {result.visited.toLocaleString('en-US')} znodes searched
            {result.truncated
              ? `; stopped early: ${result.message ?? result.truncatedReason}`
              : ''}
            )
          </Typography>
          <List
            dense
            aria-label="Search results"
            style={{ maxHeight: 240, overflow: 'auto' }}
          >
            {result.matches.map(m => (
              <ListItem
                key={m.path}
                button
                onClick={() => props.onOpen(m.path)}
              >
                <ListItemText primary={<code>{m.path}</code>} />
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </Box>
  );
};
