import { Option, type Command } from 'commander';
import type {
  Graph,
  GraphEdgeKind,
  GraphNodeKind,
} from '@archon/plugin-archon-common';
import { UsageError } from '../../lib/errors';
import { formatGraph } from '../../lib/graphFormat';
import {
  directedSlice,
  formatGraphTree,
  type GraphDirection,
} from '../../lib/graphTree';
import { action, collect, type CliIo } from '../../lib/runtime';
import {
  type GraphFormat,
  type Fetch,
  RENDERED,
  formatOption,
  formatOf,
  show,
  depthOption,
} from './shared';

/** The server's default depth of `around` (GET /graph). */
const AROUND_DEPTH = 2;

/** `archon graph` */
export function addGraphCommand(program: Command, io: CliIo) {
  program
    .command('graph')
    .description(
      'the cross-system graph (apps, topics, connectors, consumer groups, configuration, routes) or a slice of it',
    )
    .option(
      '--from <nodeId>',
      'only the neighbourhood of this node (with --depth and --direction)',
    )
    .addOption(new Option('--around <nodeId>', 'the same as --from').hideHelp())
    .addOption(depthOption(`${AROUND_DEPTH}, with --from`))
    .addOption(
      new Option(
        '--direction <dir>',
        'with --from: follow edges out of it (down), into it (up) or both ways (default)',
      ).choices(['up', 'down', 'both']),
    )
    .option('--kind <kind>', 'only nodes of this kind; repeatable', collect)
    .option(
      '--edge-kind <kind>',
      'only edges of this kind; repeatable',
      collect,
    )
    .option(
      '--cluster <name>',
      'only nodes of this cluster; repeatable',
      collect,
    )
    .option('-q, --query <text>', 'only nodes whose name or id contains this')
    .option(
      '--drift',
      'only edges whose evidence is one-sided (declared or observed only)',
    )
    .addOption(
      new Option(
        '--collapse <how>',
        'fold apps into groups or configuration into prefixes',
      ).choices(['group', 'config-prefix']),
    )
    .addOption(formatOption(true))
    .addHelpText(
      'after',
      `
Node ids: app:<instance>/<app id>, topic:<cluster>/<topic>, connector:<cluster>/<name>,
group:<cluster>/<group>, config:<path>, route:<gateway>/<host><path>, cluster:<system>/<name>.
--around is the former name of --from.

Examples:
  archon graph --from topic:local/orders --depth 2
  archon graph --from app:local/shop/cart --direction down -o tree
  archon graph --kind app --kind topic -o dot | dot -Tsvg > graph.svg
  archon graph --drift -o mermaid`,
    )
    .action(
      action(
        io,
        async (
          rt,
          options: {
            from?: string;
            around?: string;
            depth?: number;
            direction?: GraphDirection;
            kind?: string[];
            edgeKind?: string[];
            cluster?: string[];
            query?: string;
            drift?: boolean;
            collapse?: 'group' | 'config-prefix';
            format?: GraphFormat;
          },
        ) => {
          const from = options.from ?? options.around;
          const direction = options.direction ?? 'both';
          const format = formatOf(rt, options.format);
          if (!from && (options.direction || format === 'tree'))
            throw new UsageError(
              `${
                format === 'tree' ? 'a tree' : '--direction'
              } needs --from <nodeId>: the node to start from`,
            );
          if (
            direction !== 'both' &&
            (format === 'dot' || format === 'mermaid')
          )
            throw new UsageError(
              `the server renders ${format} for the whole neighbourhood (both directions): drop --direction, use -o tree or json, or archon lineage ${from} --direction ${direction} --format ${format} for the data flow`,
            );
          const fetch: Fetch<Graph> = serverFormat => (c, o) =>
            c.getGraph(
              {
                query: {
                  around: from,
                  depth: options.depth,
                  kinds: options.kind as GraphNodeKind[] | undefined,
                  edgeKinds: options.edgeKind as GraphEdgeKind[] | undefined,
                  clusters: options.cluster,
                  q: options.query,
                  drift: options.drift || undefined,
                  collapse: options.collapse,
                  format: serverFormat,
                },
              },
              o,
            );
          const depth = options.depth ?? AROUND_DEPTH;
          if (format === 'tree') {
            const graph = await rt.api.call(fetch(undefined));
            rt.out.line(
              formatGraphTree(graph, from!, direction, depth, rt.out.colors),
            );
            return;
          }
          await show(
            rt,
            format,
            fetch,
            graph => formatGraph(graph, rt.out.colors),
            // One direction: the server's neighbourhood walks both ways, so keep the part reached this way.
            graph =>
              from ? directedSlice(graph, from, direction, depth) : graph,
          );
        },
        { views: ['tree', ...RENDERED] },
      ),
    );
}
