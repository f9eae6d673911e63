import { Link, ResponseErrorPanel } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef as useLegacyRouteRef } from '@backstage/core-plugin-api';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { GraphNode } from '@archon/plugin-archon-common';
import {
  List,
  ListItem,
  ListItemText,
  TextField,
  Typography,
} from '@material-ui/core';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import {
  configRouteRef,
  kafkaRouteRef,
  kafkaTopicRouteRef,
  pipelinesRouteRef,
} from '../../routes';

/** A node kind in the glossary's words, one node. */
const KIND_WORDS: Record<string, string> = {
  app: 'app',
  topic: 'topic',
  connector: 'connector',
  'consumer-group': 'consumer group',
  'config-path': 'configuration level',
};

/** Results shown; the graph's search ranks exact names first. */
const SHOWN = 10;

/** Where a graph node is looked at: its own page, its catalog entity, or the Pipelines page. */
function useNodeLinks(): (node: GraphNode) => string | undefined {
  const entityRoute = useLegacyRouteRef(entityRouteRef);
  const topicPage = useRouteRef(kafkaTopicRouteRef);
  const kafkaPage = useRouteRef(kafkaRouteRef)?.();
  const configPage = useRouteRef(configRouteRef)?.();
  const pipelinesPage = useRouteRef(pipelinesRouteRef)?.();
  return node => {
    const name = encodeURIComponent(node.name);
    const cluster = encodeURIComponent(node.cluster ?? '');
    switch (node.kind) {
      case 'topic':
        if (topicPage && node.cluster) {
          return topicPage({ cluster: node.cluster, topic: node.name });
        }
        break;
      case 'consumer-group':
        if (kafkaPage) {
          return `${kafkaPage}?cluster=${cluster}&tab=groups&group=${name}`;
        }
        break;
      case 'config-path':
        if (configPage) return `${configPage}?path=${name}`;
        break;
      default:
    }
    if (node.entityRef) {
      const { kind, namespace, name: entity } = parseEntityRef(node.entityRef);
      return entityRoute({ kind, namespace, name: entity });
    }
    return pipelinesPage;
  };
}

/**
 * One search box over archon's graph (apps, topics, connectors, consumer
 * groups, configuration paths; GET /graph/search), each result linking to
 * where the node is looked at.
 */
export const GraphSearchWidget = () => {
  const api = useApi(archonApiRef);
  const linkOf = useNodeLinks();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const results = useAsync(
    async () =>
      debounced
        ? unwrap(
            api.searchGraph({
              query: {
                q: debounced,
                kinds: [
                  'app',
                  'topic',
                  'connector',
                  'consumer-group',
                  'config-path',
                ],
                limit: SHOWN,
              },
            }),
          )
        : undefined,
    [api, debounced],
  );
  return (
    <>
      <TextField
        id="home-graph-search"
        label="Search apps, topics, connectors, groups, config paths"
        fullWidth
        value={q}
        onChange={e => setQ(e.target.value)}
      />
      {results.error && <ResponseErrorPanel error={results.error} />}
      {results.value && (
        <List dense disablePadding data-testid="home-graph-results">
          {results.value.items.length === 0 && (
            <Typography>Nothing in the graph matches "{debounced}".</Typography>
          )}
          {results.value.items.map(node => {
            const to = linkOf(node);
            return (
              <ListItem key={node.id} disableGutters>
                <ListItemText
                  primary={to ? <Link to={to}>{node.name}</Link> : node.name}
                  secondary={[
                    KIND_WORDS[node.kind] ?? node.kind,
                    node.cluster,
                    node.status?.state,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                />
              </ListItem>
            );
          })}
          {results.value.total > results.value.items.length && (
            <Typography variant="caption">
              {results.value.total - results.value.items.length} more: narrow
              the search.
            </Typography>
          )}
        </List>
      )}
    </>
  );
};
