import YAML from 'yaml';
import type {
  ConfigDiff,
  ConfigChangePreview,
  ConfigTreeNode,
  EffectiveConfig,
} from '@archon/plugin-archon-common';
import { UsageError } from './errors';
import { formatTable, type Colors } from './output';

/** A configuration path as typed (`/foo/bar` or `foo/bar`) → display form and the API's `configPath`. */
export function configPathArg(input: string): { path: string; param: string } {
  const trimmed = input.trim().replace(/\/+$/, '');
  const param = trimmed.replace(/^\/+/, '');
  if (!param)
    throw new UsageError(
      `"${input}" is not a configuration level; give a path like /foo/bar`,
    );
  return { path: `/${param}`, param };
}

type DiffItem = Record<string, unknown>;

/** A ConfigDiff as `+`/`-`/`~` lines, one key each, with where the value comes from. */
export function formatConfigDiff(
  diff: ConfigDiff,
  colors: Colors,
  indent = '',
): string[] {
  const at = (p: unknown) => (p ? colors.dim(`  (${p})`) : '');
  const lines: string[] = [];
  for (const a of diff.added as DiffItem[])
    lines.push(
      `${indent}${colors.green(`+ ${a.key} = ${a.value}`)}${at(a.definedAt)}`,
    );
  for (const r of diff.removed as DiffItem[])
    lines.push(
      `${indent}${colors.red(`- ${r.key} = ${r.value}`)}${at(r.definedAt)}`,
    );
  for (const c of diff.changed as DiffItem[]) {
    const moved =
      c.previousDefinedAt && c.previousDefinedAt !== c.definedAt
        ? `${c.previousDefinedAt} → ${c.definedAt}`
        : c.definedAt;
    lines.push(
      `${indent}${colors.yellow(`~ ${c.key}: ${c.from} → ${c.to}`)}${at(
        moved,
      )}`,
    );
  }
  return lines;
}

export function diffIsEmpty(diff: ConfigDiff): boolean {
  return !diff.added.length && !diff.removed.length && !diff.changed.length;
}

/** Key-level changes between two sets (for history and conflicts). */
export function setChanges(
  before: Record<string, string> = {},
  after: Record<string, string> = {},
  colors: Colors,
  indent = '',
): string[] {
  const lines: string[] = [];
  for (const key of [
    ...new Set([...Object.keys(before), ...Object.keys(after)]),
  ].sort()) {
    const b = Object.hasOwn(before, key) ? before[key] : undefined;
    const a = Object.hasOwn(after, key) ? after[key] : undefined;
    if (b === a) continue;
    if (b === undefined)
      lines.push(`${indent}${colors.green(`+ ${key} = ${a}`)}`);
    else if (a === undefined)
      lines.push(`${indent}${colors.red(`- ${key} = ${b}`)}`);
    else lines.push(`${indent}${colors.yellow(`~ ${key}: ${b} → ${a}`)}`);
  }
  return lines;
}

export function formatProperties(
  properties: Record<string, string>,
  colors: Colors,
): string {
  const keys = Object.keys(properties).sort();
  if (!keys.length) return colors.dim('(no keys)');
  return formatTable(
    ['key', 'value'],
    keys.map(k => [k, properties[k]]),
    { colors },
  );
}

/** `resolve --explain`: each key with where it is defined, its raw value and what it overrides. */
export function formatProvenance(
  effective: EffectiveConfig,
  colors: Colors,
): string {
  const keys = Object.keys(effective.properties).sort();
  if (!keys.length) return colors.dim('(no keys)');
  return formatTable(
    ['key', 'value', 'defined at', 'raw', 'overrides'],
    keys.map(k => {
      const p = effective.provenance[k];
      return [
        k,
        effective.properties[k],
        p?.definedAt ?? '',
        p && p.raw !== effective.properties[k] ? p.raw : '',
        (p?.shadowed ?? []).map(s => `${s.path}=${s.raw}`).join(', '),
      ];
    }),
    { colors },
  );
}

export function formatTree(node: ConfigTreeNode, colors: Colors): string {
  const label = (n: ConfigTreeNode, name: string) => {
    const facts: string[] = [];
    if (n.hasSet)
      facts.push(
        `${n.keyCount} key${n.keyCount === 1 ? '' : 's'}, v${n.version ?? '?'}`,
      );
    if (n.childCount && !n.children?.length)
      facts.push(`${n.childCount} more below`);
    return `${n.hasSet ? name : colors.dim(name)}${
      facts.length ? colors.dim(`  (${facts.join('; ')})`) : ''
    }${
      n.failing
        ? `  ${colors.red(
            `failing: ${n.failing.keys.join(', ')} do not resolve`,
          )}`
        : ''
    }`;
  };
  const lines = [label(node, node.path)];
  const walk = (n: ConfigTreeNode, prefix: string) => {
    const children = n.children ?? [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      const name = child.path.split('/').pop() ?? child.path;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${label(child, name)}`);
      walk(child, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  walk(node, '');
  return lines.join('\n');
}

export function formatImpact(
  report: ConfigChangePreview,
  colors: Colors,
): string {
  const lines: string[] = [
    `Impact of ${report.operation === 'delete' ? 'deleting' : 'changing'} ${
      report.levelPath
    } (analysed ${report.pathsAnalyzed} path${
      report.pathsAnalyzed === 1 ? '' : 's'
    }${
      report.basedOnVersion !== undefined
        ? `, based on version ${report.basedOnVersion}`
        : ''
    }):`,
  ];
  const changed = report.changed ?? [];
  if (!changed.length)
    lines.push(colors.dim('  no effective configuration changes'));
  for (const c of changed) {
    lines.push(`  ${colors.bold(c.path ?? '')}`);
    if (c.diff) lines.push(...formatConfigDiff(c.diff, colors, '    '));
  }
  const failing = (
    items: Array<Record<string, unknown>>,
    title: string,
    color: (s: string) => string,
    key: string,
  ) => {
    if (!items.length) return;
    lines.push(color(`  ${title}:`));
    for (const item of items) {
      const failure = item[key] as
        | { problems?: Array<{ message?: string }> }
        | undefined;
      lines.push(
        `    ${item.path}${
          failure?.problems?.length
            ? `: ${failure.problems.map(p => p.message).join('; ')}`
            : ''
        }`,
      );
    }
  };
  failing(
    report.startsFailing as Array<Record<string, unknown>>,
    'would start failing to resolve',
    colors.red,
    'failure',
  );
  failing(
    report.stopsFailing as Array<Record<string, unknown>>,
    'would stop failing',
    colors.green,
    'previousFailure',
  );
  // The change reaches running apps only when they are redeployed.
  if (report.redeploy?.length) {
    lines.push(
      colors.yellow('  running apps that need a redeploy to take it:'),
    );
    for (const need of report.redeploy) {
      lines.push(
        `    ${need.path}: ${need.targets
          .map(t => `${Object.values(t.target).join(' ')} (${t.releaseId})`)
          .join(', ')}`,
      );
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------ edit files

/** One `key: value` YAML line, quoted as needed so it reads back as the same string. */
function yamlEntry(key: string, value: string): string {
  return YAML.stringify(
    { [key]: value },
    { lineWidth: 0, defaultStringType: 'PLAIN' },
  ).trimEnd();
}

/** The text `config edit` opens: comments, then the keys sorted. */
export function renderEditText(
  header: string[],
  properties: Record<string, string>,
  notes: Record<string, string[]> = {},
): string {
  const keys = Object.keys(properties).sort();
  const body = keys.length
    ? keys
        .map(k =>
          [
            ...(notes[k] ?? []).map(n => `# ${n}`),
            yamlEntry(k, properties[k]),
          ].join('\n'),
        )
        .join('\n')
    : '{}';
  return `${header.map(h => (h ? `# ${h}` : '#')).join('\n')}\n${body}\n`;
}

/**
 * Parses what the user saved: a YAML mapping of string values (every scalar
 * is read as a string; numbers keep their spelling). `null` means abort (the
 * file held nothing but comments).
 */
export function parseEditText(text: string): Record<string, string> | null {
  const doc = YAML.parseDocument(text, {
    schema: 'failsafe',
    uniqueKeys: true,
  });
  if (doc.errors.length) {
    throw new UsageError(
      `the file is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
    );
  }
  if (doc.contents === null) return null;
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined || value === '') return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(
      'the file must hold a mapping of keys to values (key: value per line)',
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) out[k] = '';
    else if (typeof v === 'string') out[k] = v;
    else
      throw new UsageError(
        `the value of "${k}" must be a string, not a ${
          Array.isArray(v) ? 'list' : 'mapping'
        } (quote it)`,
      );
  }
  return out;
}

/**
 * Three-way merge of one level's set after a conflicting write: their
 * changes and mine both apply; a key both changed differently is a conflict
 * (mine is kept, theirs noted).
 */
export function mergeSets(
  base: Record<string, string>,
  mine: Record<string, string>,
  theirs: Record<string, string>,
): {
  merged: Record<string, string>;
  conflicts: Array<{
    key: string;
    base?: string;
    mine?: string;
    theirs?: string;
  }>;
} {
  const get = (s: Record<string, string>, k: string) =>
    Object.hasOwn(s, k) ? s[k] : undefined;
  const merged: Record<string, string> = {};
  const conflicts: Array<{
    key: string;
    base?: string;
    mine?: string;
    theirs?: string;
  }> = [];
  for (const key of new Set([
    ...Object.keys(base),
    ...Object.keys(mine),
    ...Object.keys(theirs),
  ])) {
    const b = get(base, key);
    const m = get(mine, key);
    const t = get(theirs, key);
    let value: string | undefined;
    if (m === t) value = m;
    else if (m === b) value = t;
    else if (t === b) value = m;
    else {
      value = m;
      conflicts.push({ key, base: b, mine: m, theirs: t });
    }
    if (value !== undefined) merged[key] = value;
  }
  return {
    merged,
    conflicts: conflicts.sort((a, b) => (a.key < b.key ? -1 : 1)),
  };
}

export function sameSet(
  a: Record<string, string>,
  b: Record<string, string>,
): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every(k => Object.hasOwn(b, k) && a[k] === b[k])
  );
}

/** Reads a set from a file: YAML/JSON mapping, or Java .properties. */
export function parseSetFile(
  text: string,
  name: string,
): Record<string, string> {
  if (/\.properties$/i.test(name)) {
    const out: Record<string, string> = {};
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('!')) continue;
      const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
      if (!m) throw new UsageError(`${name}: cannot read the line "${line}"`);
      out[m[1]] = m[2];
    }
    return out;
  }
  try {
    return parseEditText(text) ?? {};
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
}
