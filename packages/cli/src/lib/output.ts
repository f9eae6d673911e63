import YAML from 'yaml';
import { UsageError } from './errors';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'table',
  'json',
  'yaml',
];

/**
 * Renderings of a graph view that `-o` also accepts, on the graph commands
 * only (`archon graph -o tree|dot|mermaid`, as the issue writes it).
 */
export type ViewFormat = 'tree' | 'dot' | 'mermaid';
export const VIEW_FORMATS: readonly ViewFormat[] = ['tree', 'dot', 'mermaid'];

export function parseOutputFormat(value: string | undefined): OutputFormat {
  const format = (value ?? 'table').toLowerCase();
  if (format === 'text' || format === 'human') return 'table';
  if ((VIEW_FORMATS as readonly string[]).includes(format))
    throw new UsageError(
      `-o ${format} is a graph rendering, only for graph, impact, lineage and path; use ${OUTPUT_FORMATS.join(
        ', ',
      )} here`,
    );
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `unknown output format "${value}" (use ${OUTPUT_FORMATS.join(', ')})`,
    );
  }
  return format as OutputFormat;
}

/** ANSI styles, or no-ops when color is off. */
export interface Colors {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const style = (open: number, close: number) => (s: string) =>
  `\u001b[${open}m${s}\u001b[${close}m`;

export function makeColors(enabled: boolean): Colors {
  const id = (s: string) => s;
  return {
    enabled,
    bold: enabled ? style(1, 22) : id,
    dim: enabled ? style(2, 22) : id,
    red: enabled ? style(31, 39) : id,
    green: enabled ? style(32, 39) : id,
    yellow: enabled ? style(33, 39) : id,
    cyan: enabled ? style(36, 39) : id,
  };
}

/**
 * Color only for a terminal, and never with `--no-color` or `NO_COLOR`
 * (https://no-color.org); `FORCE_COLOR` turns it on.
 */
export function colorEnabled(
  options: { color?: boolean },
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv,
): boolean {
  if (options.color === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (
    env.FORCE_COLOR !== undefined &&
    env.FORCE_COLOR !== '0' &&
    env.FORCE_COLOR !== 'false'
  )
    return true;
  if (env.TERM === 'dumb') return false;
  return !!stream.isTTY;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Display width, ignoring ANSI escapes. */
export function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

function pad(s: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(s)));
  return right ? fill + s : s + fill;
}

export interface TableOptions {
  /** Columns (by index) to right-align, e.g. numbers. */
  alignRight?: number[];
  colors?: Colors;
}

/** A plain, kubectl-like table: upper-case headers, two spaces between columns. */
export function formatTable(
  headers: string[],
  rows: Array<Array<string | number | null | undefined>>,
  options: TableOptions = {},
): string {
  const cells = rows.map(r =>
    r.map(c =>
      (c === null || c === undefined ? '' : String(c)).replace(/\n/g, '⏎'),
    ),
  );
  const widths = headers.map((h, i) =>
    Math.max(visibleLength(h), ...cells.map(r => visibleLength(r[i] ?? ''))),
  );
  const right = new Set(options.alignRight ?? []);
  const line = (r: string[]) =>
    r
      .map((c, i) =>
        i === r.length - 1 && !right.has(i)
          ? c
          : pad(c, widths[i], right.has(i)),
      )
      .join('  ')
      .trimEnd();
  const head = line(headers.map(h => h.toUpperCase()));
  return [
    options.colors ? options.colors.bold(head) : head,
    ...cells.map(line),
  ].join('\n');
}

/** `key: value` lines with the keys aligned. */
export function formatFields(
  fields: Array<[string, string | number | boolean | null | undefined]>,
  colors?: Colors,
): string {
  const shown = fields.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown
    .map(
      ([k, v]) =>
        `${
          colors
            ? colors.dim(`${k}:`.padEnd(width + 1))
            : `${k}:`.padEnd(width + 1)
        } ${v === null ? '-' : String(v)}`,
    )
    .join('\n');
}

/** Where command output goes; results on stdout, everything else on stderr. */
export class Output {
  readonly format: OutputFormat;
  readonly colors: Colors;
  readonly errColors: Colors;
  readonly #stdout: NodeJS.WritableStream;
  readonly #stderr: NodeJS.WritableStream;

  constructor(options: {
    format: OutputFormat;
    colors: Colors;
    errColors: Colors;
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
  }) {
    this.format = options.format;
    this.colors = options.colors;
    this.errColors = options.errColors;
    this.#stdout = options.stdout;
    this.#stderr = options.stderr;
  }

  get machine(): boolean {
    return this.format !== 'table';
  }

  /**
   * Prints a command's result: the data itself as JSON or YAML for
   * `-o json|yaml`, or the human rendering.
   */
  result(data: unknown, human: () => string | undefined | void): void {
    if (this.format === 'json') this.line(JSON.stringify(data, null, 2));
    else if (this.format === 'yaml')
      this.#stdout.write(
        YAML.stringify(data ?? null, { aliasDuplicateObjects: false }),
      );
    else {
      const text = human();
      if (text !== undefined && text !== '') this.line(text);
    }
  }

  /** One record of a stream (`messages tail`): NDJSON for json, YAML documents for yaml. */
  record(data: unknown, human: () => string): void {
    if (this.format === 'json') this.line(JSON.stringify(data));
    else if (this.format === 'yaml')
      this.#stdout.write(
        `---\n${YAML.stringify(data, { aliasDuplicateObjects: false })}`,
      );
    else this.line(human());
  }

  line(text = ''): void {
    this.#stdout.write(`${text}\n`);
  }

  /** Progress and notes for humans: stderr, so stdout stays parseable. */
  info(text: string): void {
    this.#stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.#stderr.write(`${this.errColors.yellow('warning:')} ${text}\n`);
  }

  success(text: string): void {
    if (this.format === 'table')
      this.#stdout.write(`${this.colors.green('✓')} ${text}\n`);
    else this.#stderr.write(`${text}\n`);
  }

  error(text: string, details: string[] = []): void {
    this.#stderr.write(`${this.errColors.red('error:')} ${text}\n`);
    for (const d of details) this.#stderr.write(`${d}\n`);
  }
}
