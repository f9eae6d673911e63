import { Box, Button, Typography, makeStyles } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  GraphEdge,
  GraphEdgeKind,
  GraphNode,
} from '@archon/plugin-archon-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { archonApiRef } from '../../api';
import { isApiError, unwrap } from '../../lib/errors';
import { MaybeEntityLink } from '../common/EntityLink';
import { SimpleTable } from '../common/SimpleTable';
import { DRIFT_COLOR } from '../PipelinesPage/statusColors';

/** The edges that carry data into or out of a topic. */
const WRITES: GraphEdgeKind[] = ['produces-to', 'source-writes'];
const READS: GraphEdgeKind[] = ['consumes-from', 'sink-reads'];
/** A topic's copy on another Kafka cluster (MirrorMaker 2), either way. */
const MIRRORS: GraphEdgeKind[] = ['mirrors'];

/** One app, connector or consumer group next to the topic, with the edge that links them. */
export interface TopicNeighbour {
  node: GraphNode;
  edge: GraphEdge;
}

/**
 * Who writes and who reads a topic, from its neighbourhood in the graph.
 * Consumer groups are listed only when nobody claims them (an undeclared
 * consumer): a group an app or connector owns already shows as that app or
 * connector, through the edge derived from the group's offsets.
 */
export function topicNeighbours(
  topicId: string,
  graph: { nodes: GraphNode[]; edges: GraphEdge[] },
): {
  producers: TopicNeighbour[];
  consumers: TopicNeighbour[];
  /** The topic's replicas (it is their source) and the topic it replicates. */
  mirrors: TopicNeighbour[];
} {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const pick = (kinds: GraphEdgeKind[], end: 'from' | 'to') =>
    graph.edges
      .filter(e => kinds.includes(e.kind))
      .filter(e => (end === 'from' ? e.to : e.from) === topicId)
      .map(edge => ({ edge, node: nodes.get(edge[end]) }))
      .filter((n): n is TopicNeighbour => n.node !== undefined)
      .filter(n => n.node.kind !== 'consumer-group' || Boolean(n.edge.drift))
      .sort((a, b) => a.node.name.localeCompare(b.node.name));
  return {
    producers: pick(WRITES, 'from'),
    consumers: pick(READS, 'to'),
    mirrors: [...pick(MIRRORS, 'from'), ...pick(MIRRORS, 'to')],
  };
}

/** How a mirrored topic relates to the one shown: `replica on dr`, `source on local`. */
export function mirrorRole(topicId: string, n: TopicNeighbour): string {
  const role = n.edge.from === topicId ? 'replica' : 'source';
  return n.node.cluster ? `${role} on ${n.node.cluster}` : role;
}

const useStyles = makeStyles({
  drift: { color: DRIFT_COLOR, fontWeight: 600 },
  evidence: { margin: 0, paddingLeft: 16 },
});

const KIND_LABELS: Partial<Record<GraphNode['kind'], string>> = {
  app: 'app',
  connector: 'connector',
  'consumer-group': 'consumer group',
};

const Evidence = ({ edge }: { edge: GraphEdge }) => {
  const classes = useStyles();
  const lines = [
    ...(edge.evidence?.declared ?? []).map(d => `declared: ${d}`),
    ...(edge.evidence?.observed ?? []).map(o => `observed: ${o}`),
  ];
  return (
    <>
      {edge.drift && (
        <Typography variant="body2" className={classes.drift}>
          drift: {edge.drift}
        </Typography>
      )}
      <ul className={classes.evidence}>
        {lines.map(line => (
          <li key={line}>
            <Typography variant="caption">{line}</Typography>
          </li>
        ))}
      </ul>
    </>
  );
};

const NeighbourTable = (props: {
  label: string;
  rows: TopicNeighbour[];
  empty: string;
  /** The Kind column's words (default: the node's kind). */
  kindOf?: (r: TopicNeighbour) => string;
}) =>
  props.rows.length === 0 ? (
    <Typography variant="body2">{props.empty}</Typography>
  ) : (
    <SimpleTable<TopicNeighbour>
      label={props.label}
      rows={props.rows}
      rowKey={r => r.node.id}
      columns={[
        {
          title: 'Name',
          render: r => (
            <MaybeEntityLink entityRef={r.node.entityRef} text={r.node.name} />
          ),
        },
        {
          title: 'Kind',
          render: r =>
            props.kindOf?.(r) ?? KIND_LABELS[r.node.kind] ?? r.node.kind,
        },
        { title: 'Status', render: r => r.node.status?.state ?? 'unknown' },
        { title: 'Evidence', render: r => <Evidence edge={r.edge} /> },
      ]}
    />
  );

/** The "Producers and consumers" card of a kafka-topic entity. */
export const TopicFlowCard = (props: { cluster: string; topic: string }) => {
  const api = useApi(archonApiRef);
  const topicId = `topic:${props.cluster}/${props.topic}`;
  const flow = useAsyncRetry(async () => {
    const graph = await unwrap(
      api.getGraph({
        query: {
          around: topicId,
          depth: 1,
          edgeKinds: [...WRITES, ...READS, ...MIRRORS],
        },
      }),
    );
    return topicNeighbours(topicId, graph);
  }, [api, topicId]);

  return (
    <InfoCard
      title="Producers and consumers"
      subheader="From archon's graph: what configuration declares and what Kafka and Connect show."
    >
      {flow.loading && <Progress />}
      {flow.error && isApiError(flow.error, 404) && (
        // A topic created a moment ago exists in Kafka before the graph's
        // next refresh has read it: that is not an error.
        <Alert
          severity="info"
          action={
            <Button size="small" onClick={flow.retry}>
              Check again
            </Button>
          }
        >
          The graph does not hold {props.topic} yet; it is added at the graph's
          next refresh of cluster {props.cluster}, with the apps, connectors and
          groups that use it.
        </Alert>
      )}
      {flow.error && !isApiError(flow.error, 404) && (
        <ResponseErrorPanel error={flow.error} />
      )}
      {flow.value && (
        <>
          <Typography variant="subtitle2" component="h3" gutterBottom>
            Writes to {props.topic} ({flow.value.producers.length})
          </Typography>
          <NeighbourTable
            label={`Producers of ${props.topic}`}
            rows={flow.value.producers}
            empty="No app or connector writes to this topic."
          />
          <Box mt={2}>
            <Typography variant="subtitle2" component="h3" gutterBottom>
              Reads from {props.topic} ({flow.value.consumers.length})
            </Typography>
            <NeighbourTable
              label={`Consumers of ${props.topic}`}
              rows={flow.value.consumers}
              empty="No app, connector or consumer group reads this topic."
            />
          </Box>
          {flow.value.mirrors.length > 0 && (
            <Box mt={2}>
              <Typography variant="subtitle2" component="h3" gutterBottom>
                Mirrored across Kafka clusters ({flow.value.mirrors.length})
              </Typography>
              <NeighbourTable
                label={`Mirrors of ${props.topic}`}
                rows={flow.value.mirrors}
                empty=""
                kindOf={r => mirrorRole(topicId, r)}
              />
            </Box>
          )}
        </>
      )}
    </InfoCard>
  );
};
