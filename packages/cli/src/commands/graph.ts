import { Option, type Command } from 'commander';
import type {
  ArchonApiClient,
  Graph,
  GraphEdgeKind,
  GraphNodeKind,
  GraphPath,
  RequestOptions,
  TypedResponse,
} from '@archon/plugin-archon-common';
import { UsageError } from '../lib/errors';
import {
  formatGraph,
  formatImpact,
  formatLineage,
  formatPath,
} from '../lib/graphFormat';
import {
  directedSlice,
  formatGraphTree,
  type GraphDirection,
} from '../lib/graphTree';
import type { ViewFormat } from '../lib/output';
import {
  action,
  collect,
  intArg,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

/** What the server renders (dot, mermaid) or returns (json). */
type ServerFormat = 'json' | 'dot' | 'mermaid';
type GraphFormat = ServerFormat | 'tree';
type Fetch<T> = (
  format: ServerFormat | undefined,
) => (
  client: ArchonApiClient,
  options: RequestOptions,
) => Promise<TypedResponse<T>>;

const RENDERED: readonly ViewFormat[] = ['dot', 'mermaid'];

const formatOption = (withTree = false) =>
  new Option(
    '--format <format>',
    `dot (Graphviz: | dot -Tsvg) or mermaid: the server renders the view as text; json: the data (like -o json)${
      withTree ? '; tree: an indented tree grown from --from' : ''
    }. -o ${withTree ? 'tree|' : ''}dot|mermaid is the same`,
  ).choices(['json', 'dot', 'mermaid', ...(withTree ? ['tree'] : [])]);

/** `--format` wins over `-o tree|dot|mermaid`; neither: json/yaml/table by -o. */
const formatOf = (rt: CliRuntime, flag: GraphFormat | undefined) =>
  flag ?? (rt.view as GraphFormat | undefined);

/**
 * Prints a graph view: as DOT or Mermaid text rendered by the server, as
 * JSON with `--format json` or `-o json|yaml`, else for humans.
 */
async function show<T>(
  rt: CliRuntime,
  format: GraphFormat | undefined,
  fetch: Fetch<T>,
  human: (data: T) => string,
  refine: (data: T) => T = data => data,
): Promise<void> {
  if (format === 'dot' || format === 'mermaid') {
    const text = await rt.api.text(fetch(format));
    rt.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  const data = refine(await rt.api.call(fetch(undefined)));
  if (format === 'json') rt.out.line(JSON.stringify(data, null, 2));
  else rt.out.result(data, () => human(data));
}

const depthOption = (fallback: string) =>
  new Option('--depth <n>', `hops (default ${fallback})`).argParser(
    intArg('--depth'),
  );

/** The server's default depth of `around` (GET /graph). */
const AROUND_DEPTH = 2;

export function registerGraphCommands(program: Command, io: CliIo) {
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

  program
    .command('impact')
    .description(
      'what is affected if a node goes away or stops: everything downstream, with how it is reached',
    )
    .argument('<nodeId>', 'e.g. topic:local/orders, config:/shop')
    .addOption(depthOption('6'))
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          nodeId: string,
          options: { depth?: number; format?: GraphFormat },
        ) => {
          await show(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphImpact(
                { path: { nodeId }, query: { depth: options.depth, format } },
                o,
              ),
            impact => formatImpact(impact, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );

  program
    .command('lineage')
    .description(
      'where the data of a node comes from and goes to (apps, topics, connectors, groups)',
    )
    .argument('<nodeId>', 'e.g. app:local/shop/cart')
    .addOption(
      new Option(
        '--direction <dir>',
        'upstream, downstream or both (default)',
      ).choices(['up', 'down', 'both']),
    )
    .addOption(depthOption('3'))
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          nodeId: string,
          options: {
            direction?: 'up' | 'down' | 'both';
            depth?: number;
            format?: GraphFormat;
          },
        ) => {
          await show(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphLineage(
                {
                  path: { nodeId },
                  query: {
                    direction: options.direction,
                    depth: options.depth,
                    format,
                  },
                },
                o,
              ),
            lineage => formatLineage(lineage, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );

  program
    .command('path')
    .description(
      'how data gets from one node to another: every shortest data-flow path',
    )
    .argument('<from>', 'node id')
    .argument('<to>', 'node id')
    .option(
      '--max-depth <n>',
      'longest path looked for',
      intArg('--max-depth', { min: 1 }),
    )
    .option(
      '-n, --limit <n>',
      'at most this many paths (default 5)',
      intArg('--limit', { min: 1 }),
    )
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          from: string,
          to: string,
          options: { maxDepth?: number; limit?: number; format?: GraphFormat },
        ) => {
          await show<GraphPath>(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphPath(
                {
                  // The spec's `from` is generated as `_from` (a reserved word)
                  // while the URI template expands `from`: both are sent until
                  // the graph spec renames it (as the messages `start` was).
                  query: {
                    _from: from,
                    from,
                    to,
                    maxDepth: options.maxDepth,
                    limit: options.limit,
                    format,
                  } as Parameters<ArchonApiClient['getGraphPath']>[0]['query'],
                },
                o,
              ),
            result => formatPath(result, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );
}
