import { Option, type Command } from 'commander';
import type {
  ArchonApiClient,
  GraphEdgeKind,
  GraphNodeKind,
  GraphPath,
  RequestOptions,
  TypedResponse,
} from '@archon/plugin-archon-common';
import {
  formatGraph,
  formatImpact,
  formatLineage,
  formatPath,
} from '../lib/graphFormat';
import {
  action,
  collect,
  intArg,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

type GraphFormat = 'json' | 'dot' | 'mermaid';
type Fetch<T> = (
  format: GraphFormat | undefined,
) => (
  client: ArchonApiClient,
  options: RequestOptions,
) => Promise<TypedResponse<T>>;

const formatOption = () =>
  new Option(
    '--format <format>',
    'dot (Graphviz: | dot -Tsvg) or mermaid: the server renders the view as text; json: the data (like -o json)',
  ).choices(['json', 'dot', 'mermaid']);

/**
 * Prints a graph view: as DOT or Mermaid text rendered by the server, as
 * JSON with `--format json` or `-o json|yaml`, else for humans.
 */
async function show<T>(
  rt: CliRuntime,
  format: GraphFormat | undefined,
  fetch: Fetch<T>,
  human: (data: T) => string,
): Promise<void> {
  if (format === 'dot' || format === 'mermaid') {
    const text = await rt.api.text(fetch(format));
    rt.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  const data = await rt.api.call(fetch(undefined));
  if (format === 'json') rt.out.line(JSON.stringify(data, null, 2));
  else rt.out.result(data, () => human(data));
}

const depthOption = (fallback: string) =>
  new Option('--depth <n>', `hops (default ${fallback})`).argParser(
    intArg('--depth'),
  );

export function registerGraphCommands(program: Command, io: CliIo) {
  program
    .command('graph')
    .description(
      'the cross-system graph (apps, topics, connectors, consumer groups, configuration, routes) or a slice of it',
    )
    .option(
      '--around <nodeId>',
      'only the neighbourhood of this node (with --depth)',
    )
    .addOption(depthOption('2, with --around'))
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
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Node ids: app:<instance>/<app id>, topic:<cluster>/<topic>, connector:<cluster>/<name>,
group:<cluster>/<group>, config:<path>, route:<gateway>/<host><path>, cluster:<system>/<name>.

Examples:
  archon graph --around topic:local/orders --depth 2
  archon graph --kind app --kind topic --format dot | dot -Tsvg > graph.svg
  archon graph --drift`,
    )
    .action(
      action(
        io,
        async (
          rt,
          options: {
            around?: string;
            depth?: number;
            kind?: string[];
            edgeKind?: string[];
            cluster?: string[];
            query?: string;
            drift?: boolean;
            collapse?: 'group' | 'config-prefix';
            format?: GraphFormat;
          },
        ) => {
          await show(
            rt,
            options.format,
            format => (c, o) =>
              c.getGraph(
                {
                  query: {
                    around: options.around,
                    depth: options.depth,
                    kinds: options.kind as GraphNodeKind[] | undefined,
                    edgeKinds: options.edgeKind as GraphEdgeKind[] | undefined,
                    clusters: options.cluster,
                    q: options.query,
                    drift: options.drift || undefined,
                    collapse: options.collapse,
                    format,
                  },
                },
                o,
              ),
            graph => formatGraph(graph, rt.out.colors),
          );
        },
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
            options.format,
            format => (c, o) =>
              c.getGraphImpact(
                { path: { nodeId }, query: { depth: options.depth, format } },
                o,
              ),
            impact => formatImpact(impact, rt.out.colors),
          );
        },
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
            options.format,
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
            options.format,
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
      ),
    );
}
