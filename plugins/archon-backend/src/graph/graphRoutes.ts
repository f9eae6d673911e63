import { archonGraphReadPermission } from '@archon/plugin-archon-common';
import {
  type ArchonAuthorizer,
  boolQuery,
  intQuery,
  markStale,
  strQuery,
} from '@archon/plugin-archon-node';
import type { RequestHandler, Response } from 'express';
import type { createOpenApiRouter } from '../schema/openapi';
import {
  GRAPH_EXPORT_CONTENT_TYPES,
  renderGraph,
  type GraphExportFormat,
  type GraphService,
  type GraphView,
} from '.';
import { multiSegmentPathUrls } from '../config/configPathUrls';
import { graphStaleness, markStaleGraphAnswer } from './graphStaleness';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/**
 * Node ids hold `:` and `/` (`app:local/shop/cart`), so `/graph/lineage/`,
 * `/graph/impact/` and `/graph/nodes/` take the id with its slashes as they
 * are, or percent-encoded as one segment (as the generated client sends
 * it), the same way configuration paths are taken.
 */
export function graphNodeIdUrls(): RequestHandler {
  return multiSegmentPathUrls([
    { pattern: /^\/(graph\/(?:lineage|impact|nodes))\/(.+?)(\?.*)?$/ },
  ]);
}

/** Query values as the validator leaves them: arrays may arrive comma-joined, numbers as strings. */
const listOf = <T extends string>(value: unknown): T[] | undefined => {
  if (value === undefined || value === '') return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap(v =>
    String(v).split(','),
  );
  return items.map(s => s.trim()).filter(Boolean) as T[];
};

/**
 * The graph routes: HTTP only. Every read needs `archon.graph.read`; every
 * view can be exported as JSON, Graphviz DOT or a Mermaid flowchart.
 */
export function addGraphRoutes(
  router: ApiRouter,
  options: { graph: GraphService; authorizer: ArchonAuthorizer },
) {
  const { graph, authorizer } = options;

  /** JSON as is, or the view rendered in the asked-for text format. */
  function send(
    res: Response,
    format: unknown,
    body: object,
    view: GraphView,
    title: string,
  ) {
    const chosen = (strQuery(format) ?? 'json') as GraphExportFormat;
    if (chosen === 'json') {
      res.json(body);
      return;
    }
    res
      .type(GRAPH_EXPORT_CONTENT_TYPES[chosen])
      .send(renderGraph(view, chosen, title));
  }

  router.get('/graph', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    const view = graph.graph({
      kinds: listOf(req.query.kinds),
      edgeKinds: listOf(req.query.edgeKinds),
      clusters: listOf(req.query.clusters),
      q: strQuery(req.query.q),
      drift: boolQuery(req.query.drift) ?? false,
      around: strQuery(req.query.around),
      depth: intQuery(req.query.depth),
      collapse: strQuery(req.query.collapse) as
        | 'group'
        | 'config-prefix'
        | undefined,
      collapseDepth: intQuery(req.query.collapseDepth),
    });
    // Nodes from contributors that could not refresh say how old they are (#22).
    const contributors = graph.contributors();
    const { nodes, staleness } = graphStaleness(view.nodes, contributors);
    send(
      res,
      req.query.format,
      markStale(
        res,
        { ...view, nodes, totals: graph.totals(), contributors },
        staleness,
      ),
      view,
      'archon',
    );
  });

  router.get('/graph/search', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    res.json(
      graph.search(String(req.query.q), {
        kinds: listOf(req.query.kinds),
        clusters: listOf(req.query.clusters),
        limit: intQuery(req.query.limit),
        cursor: req.query.cursor,
      }),
    );
  });

  router.get('/graph/path', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    // The generated type calls `from` `_from` (a reserved word to its generator); the parsed query keeps `from`.
    const query = req.query as unknown as Record<string, unknown>;
    const result = graph.path(String(query.from), String(query.to), {
      maxDepth: intQuery(req.query.maxDepth),
      limit: intQuery(req.query.limit),
    });
    send(
      res,
      req.query.format,
      result,
      result,
      `path ${result.from} to ${result.to}`,
    );
  });

  router.get('/graph/nodes/:nodeId', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    res.json(
      markStaleGraphAnswer(
        res,
        graph.node(req.params.nodeId),
        graph.contributors(),
      ),
    );
  });

  router.get('/graph/lineage/:nodeId', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    const result = graph.lineage(req.params.nodeId, {
      direction: strQuery(req.query.direction) as
        | 'up'
        | 'down'
        | 'both'
        | undefined,
      depth: intQuery(req.query.depth),
    });
    // Nodes kept from an earlier read say so, as in GET /graph (#22).
    const body = markStaleGraphAnswer(res, result, graph.contributors());
    send(res, req.query.format, body, result, `lineage of ${result.root}`);
  });

  router.get('/graph/impact/:nodeId', async (req, res) => {
    await authorizer.authorize(req, archonGraphReadPermission);
    const result = graph.impact(req.params.nodeId, {
      depth: intQuery(req.query.depth),
    });
    const body = markStaleGraphAnswer(res, result, graph.contributors());
    send(res, req.query.format, body, result, `impact of ${result.root}`);
  });
}
