import { Option } from 'commander';
import type {
  ArchonApiClient,
  RequestOptions,
  TypedResponse,
} from '@archon/plugin-archon-common';
import type { ViewFormat } from '../../lib/output';
import { intArg, type CliRuntime } from '../../lib/runtime';

/** What the server renders (dot, mermaid) or returns (json). */
export type ServerFormat = 'json' | 'dot' | 'mermaid';

export type GraphFormat = ServerFormat | 'tree';

export type Fetch<T> = (
  format: ServerFormat | undefined,
) => (
  client: ArchonApiClient,
  options: RequestOptions,
) => Promise<TypedResponse<T>>;

export const RENDERED: readonly ViewFormat[] = ['dot', 'mermaid'];

export const formatOption = (withTree = false) =>
  new Option(
    '--format <format>',
    `dot (Graphviz: | dot -Tsvg) or mermaid: the server renders the view as text; json: the data (like -o json)${
      withTree ? '; tree: an indented tree grown from --from' : ''
    }. -o ${withTree ? 'tree|' : ''}dot|mermaid is the same`,
  ).choices(['json', 'dot', 'mermaid', ...(withTree ? ['tree'] : [])]);

/** `--format` wins over `-o tree|dot|mermaid`; neither: json/yaml/table by -o. */
export const formatOf = (rt: CliRuntime, flag: GraphFormat | undefined) =>
  flag ?? (rt.view as GraphFormat | undefined);

/**
 * Prints a graph view: as DOT or Mermaid text rendered by the server, as
 * JSON with `--format json` or `-o json|yaml`, else for humans.
 */
export async function show<T>(
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

export const depthOption = (fallback: string) =>
  new Option('--depth <n>', `hops (default ${fallback})`).argParser(
    intArg('--depth'),
  );
