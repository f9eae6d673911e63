import { useCallback, useEffect, useMemo, useState } from 'react';
import { Box, Button, Grid, Typography } from '@material-ui/core';
import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useAppSearchParams } from '@backstage/frontend-plugin-api';
import type { ArchonApiClient, Graph } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { unwrap } from '../../lib/errors';
import { StaleBanner } from '../common/StaleBanner';
import { SystemsDownBanner } from '../common/SystemsDownBanner';
import { GraphProblems } from './GraphProblems';
import { NodePanel } from './NodePanel';
import { PipelineDiagram } from './PipelineDiagram';
import { PipelineFilters, type PipelineFilterValues } from './PipelineFilters';
import {
  DEFAULT_NODE_KINDS,
  PIPELINE_EDGE_KINDS,
  type PipelineGraph,
} from './graphModel';
import { pipelineView, type PipelineView } from './pipelineView';
import { usePolled } from './usePolled';

/** The query of `GET /graph` as the generated client takes it. */
type GraphQuery = Parameters<ArchonApiClient['getGraph']>[0]['query'];

/** Statuses are sampled by the backend every few seconds; so is the page. */
export const REFRESH_MS = 10_000;
/**
 * The systems whose part of the graph archon serves from an earlier read
 * (#22), as the backend names them; a contributor whose whole refresh failed
 * by its id (GraphProblems says why).
 */
export function staleSystems(graph: Graph): string {
  return graph.contributors
    .filter(c => c.stale)
    .flatMap(c =>
      c.staleSources?.length
        ? c.staleSources.map(s => s.source)
        : [`the ${c.id} part of the graph`],
    )
    .join(', ');
}

/** Past this many shown nodes "When large" asks the backend to collapse apps into groups. */
export const LARGE_GRAPH = 300;
const SEARCH_DEBOUNCE_MS = 300;

const INITIAL: PipelineFilterValues = {
  search: '',
  cluster: '',
  kinds: DEFAULT_NODE_KINDS,
  driftOnly: false,
  showStructure: false,
  collapse: 'auto',
};

/** The `/graph` query of the filters (search already debounced). */
export function graphQuery(
  f: PipelineFilterValues,
  search: string,
): GraphQuery {
  return {
    kinds: f.kinds,
    edgeKinds: f.showStructure ? undefined : PIPELINE_EDGE_KINDS,
    clusters: f.cluster ? [f.cluster] : undefined,
    q: search.trim() || undefined,
    drift: f.driftOnly || undefined,
    collapse:
      f.collapse === 'group' || f.collapse === 'config-prefix'
        ? f.collapse
        : undefined,
  };
}

/** What the diagram shows of the answer, and the one click to the rest. */
const ViewSummary = (props: {
  view: PipelineView;
  collapsed?: string;
  showHidden: boolean;
  scope: 'largest' | 'all';
  onShowHidden: (on: boolean) => void;
  onScope: (scope: 'largest' | 'all') => void;
}) => {
  const { view } = props;
  const shown: PipelineGraph = view.graph;
  const others = view.pipelines - 1;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      <Typography variant="body2" role="status" aria-label="Diagram contents">
        {shown.nodes.length} nodes, {shown.edges.length} edges
        {props.collapsed ? ` (collapsed by ${props.collapsed})` : ''}
        {props.scope === 'largest' && others > 0
          ? ` · the largest pipeline; ${others} other pipeline${
              others === 1 ? '' : 's'
            } not shown`
          : ''}
        {view.hidden > 0
          ? ` · ${view.hidden} infrastructure or unconnected node${
              view.hidden === 1 ? '' : 's'
            } hidden`
          : ''}
      </Typography>
      {props.scope === 'largest' && others > 0 && (
        <Button size="small" onClick={() => props.onScope('all')}>
          Show all pipelines
        </Button>
      )}
      {props.scope === 'all' && !props.showHidden && (
        <Button size="small" onClick={() => props.onScope('largest')}>
          Largest pipeline only
        </Button>
      )}
      {view.hidden > 0 && (
        <Button size="small" onClick={() => props.onShowHidden(true)}>
          Show hidden nodes
        </Button>
      )}
      {props.showHidden && (
        <Button size="small" onClick={() => props.onShowHidden(false)}>
          Hide infrastructure and unconnected nodes
        </Button>
      )}
    </Box>
  );
};

/**
 * Every pipeline archon knows: apps, topics, connectors and consumer groups
 * joined by data flow, coloured by live state (refreshed every 10 s), drift
 * marked; a click opens the node's details.
 */
export const PipelinesPage = () => {
  const api = useApi(archonApiRef);
  // `?drift=true` (the Home page's drift count links here) opens with every
  // drifting edge: drift only, consumer groups too (a group can drift from
  // its topic), all pipelines, nothing hidden.
  const [params] = useAppSearchParams();
  const driftLink = params.get('drift') === 'true';
  const [filters, setFilters] = useState<PipelineFilterValues>(
    driftLink
      ? {
          ...INITIAL,
          driftOnly: true,
          kinds: [...DEFAULT_NODE_KINDS, 'consumer-group'],
        }
      : INITIAL,
  );
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string>();
  const [clusters, setClusters] = useState<string[]>([]);

  useEffect(() => {
    const timer = setTimeout(
      () => setSearch(filters.search),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [filters.search]);

  const query = graphQuery(filters, search);
  const queryKey = JSON.stringify(query);
  const [showHidden, setShowHidden] = useState(driftLink);
  const [scope, setScope] = useState<'largest' | 'all'>(
    driftLink ? 'all' : 'largest',
  );
  const load = useCallback(async (): Promise<{
    graph: Graph;
    collapsed?: string;
  }> => {
    const q: GraphQuery = JSON.parse(queryKey);
    const graph = await unwrap(api.getGraph({ query: q }));
    const shown = pipelineView(graph, { showHidden, scope }).graph;
    if (filters.collapse === 'auto' && shown.nodes.length > LARGE_GRAPH) {
      // Hundreds of boxes are unreadable; one per Marathon group is not.
      const grouped = await unwrap(
        api.getGraph({ query: { ...q, collapse: 'group' } }),
      );
      return { graph: grouped, collapsed: 'group' };
    }
    return { graph, collapsed: q.collapse };
  }, [api, queryKey, filters.collapse, showHidden, scope]);
  const { value, error, loading, valueKey } = usePolled(
    load,
    `${queryKey}|${filters.collapse}|${showHidden}|${scope}`,
    REFRESH_MS,
  );

  // Cluster choices: every cluster seen so far, so that narrowing to one
  // does not take the others out of the list.
  useEffect(() => {
    const seen = (value?.graph.nodes ?? [])
      .map(n => n.cluster)
      .filter((c): c is string => Boolean(c));
    setClusters(prev =>
      seen.some(c => !prev.includes(c))
        ? [...new Set([...prev, ...seen])].sort()
        : prev,
    );
  }, [value]);

  const answer = value?.graph;
  const view = useMemo(
    () => (answer ? pipelineView(answer, { showHidden, scope }) : undefined),
    [answer, showHidden, scope],
  );
  const graph = view?.graph;
  return (
    <Page themeId="tool">
      <Header
        title="Pipelines"
        subtitle="Data flow between apps, topics, connectors and consumer groups"
      />
      <Content>
        <SystemsDownBanner
          kinds={['kafka', 'kafka-connect', 'marathon', 'zookeeper']}
          consequence="Its part of the diagram may be stale."
        />
        <PipelineFilters
          value={filters}
          clusters={clusters}
          onChange={setFilters}
        />
        {error && <ResponseErrorPanel error={error} />}
        {answer && <GraphProblems contributors={answer.contributors} />}
        {answer && (
          <StaleBanner answer={answer} system={staleSystems(answer)} />
        )}
        {loading && <Progress />}
        {graph && graph.nodes.length === 0 && !loading && (
          <EmptyState
            missing="data"
            title="No pipelines match"
            description="No app, topic, connector or consumer group matches these filters. Clear the search or choose other kinds or clusters."
          />
        )}
        {graph && graph.nodes.length > 0 && (
          <Grid container spacing={2}>
            <Grid item xs={12} md={selected ? 8 : 12}>
              <ViewSummary
                view={view!}
                collapsed={value?.collapsed}
                showHidden={showHidden}
                scope={scope}
                onShowHidden={setShowHidden}
                onScope={setScope}
              />
              <PipelineDiagram
                graph={graph}
                showClusters={clusters.length > 1}
                selectedId={selected}
                onSelect={setSelected}
                // The key of the answer drawn, not of the filters: fitting
                // when the filters change would fit the previous answer,
                // still shown while the new one loads, and not refit after.
                fitKey={`${valueKey}|${value?.collapsed}`}
              />
            </Grid>
            {selected && (
              <Grid item xs={12} md={4}>
                <NodePanel
                  nodeId={selected}
                  onClose={() => setSelected(undefined)}
                />
              </Grid>
            )}
          </Grid>
        )}
      </Content>
    </Page>
  );
};
