import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import type {
  ZooKeeperData,
  ZooKeeperDataInput,
  ZooKeeperExport,
  ZooKeeperImportPlan,
  ZooKeeperStat,
} from '@archon/plugin-archon-common';
import { ApiError, CliError, UsageError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { readInputFile } from '../lib/files';
import {
  formatFields,
  formatTable,
  makeColors,
  type Colors,
} from '../lib/output';
import { canPrompt, readStdin } from '../lib/prompt';
import {
  action,
  intArg,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

const MODES = [
  'persistent',
  'persistent_sequential',
  'sequential',
  'ephemeral',
  'ephemeral_sequential',
] as const;

/** `/a/b`, `a/b` → `/a/b`; `/` stays the root. The server validates the rest. */
export function znodePathArg(input: string): string {
  const trimmed = input.trim();
  if (!trimmed || trimmed === '/') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function dataText(data: ZooKeeperData): string {
  if (data.size === 0) return '';
  if (data.format === 'json' && data.json !== undefined)
    return JSON.stringify(data.json, null, 2);
  if (data.format === 'text' && data.text !== undefined) return data.text;
  return data.hex ?? Buffer.from(data.base64, 'base64').toString('hex');
}

function statFields(stat: ZooKeeperStat, colors: Colors): string {
  return formatFields(
    [
      ['version', stat.version],
      ['cversion', stat.cversion],
      ['aversion', stat.aversion],
      ['ctime', stat.ctime],
      ['mtime', stat.mtime],
      ['czxid', stat.czxid],
      ['mzxid', stat.mzxid],
      ['pzxid', stat.pzxid],
      ['ephemeralOwner', stat.ephemeralOwner],
      ['dataLength', stat.dataLength],
      ['numChildren', stat.numChildren],
    ],
    colors,
  );
}

/** Data to write: the argument as text (or JSON/base64), or a file's exact bytes. */
async function dataInput(
  rt: CliRuntime,
  value: string | undefined,
  options: { file?: string; json?: boolean; base64?: boolean },
): Promise<ZooKeeperDataInput> {
  if (options.json && options.base64)
    throw new UsageError('use either --json or --base64');
  if (value !== undefined && options.file)
    throw new UsageError(
      'give the data either as an argument or with -f, not both',
    );
  let text: string | undefined = value;
  if (options.file) {
    if (!options.json && !options.base64) {
      // A file goes byte for byte.
      const bytes =
        options.file === '-'
          ? Buffer.from(await readStdin(rt.io.stdin), 'utf8')
          : readBytes(options.file);
      return { base64: bytes.toString('base64') };
    }
    text = await readInputFile(options.file, rt.io.stdin);
  }
  if (text === undefined) return {};
  if (options.json) {
    try {
      return { json: JSON.parse(text) };
    } catch (error) {
      throw new UsageError(
        `--json: not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  if (options.base64) return { base64: text.trim() };
  return { text };
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function formatPlan(plan: ZooKeeperImportPlan, colors: Colors): string {
  const lines = [
    `${plan.dryRun ? 'Plan' : 'Applied'} for ${plan.path} (${plan.mode}): ${
      plan.creates.length
    } to create, ${plan.updates.length} to update, ${
      plan.deletes.length
    } to delete, ${plan.unchanged} unchanged${
      plan.skipped.length ? `, ${plan.skipped.length} skipped` : ''
    }`,
  ];
  for (const c of plan.creates)
    lines.push(colors.green(`  + ${c.path} (${c.size} bytes)`));
  for (const u of plan.updates)
    lines.push(
      colors.yellow(`  ~ ${u.path} (${u.fromSize} → ${u.toSize} bytes)`),
    );
  for (const d of plan.deletes) lines.push(colors.red(`  - ${d.path}`));
  for (const s of plan.skipped)
    lines.push(colors.dim(`  skipped ${s.path}: ${s.reason}`));
  return lines.join('\n');
}

const nothingToDo = (plan: ZooKeeperImportPlan) =>
  !plan.creates.length && !plan.updates.length && !plan.deletes.length;

export function registerZooKeeperCommands(program: Command, io: CliIo) {
  const zk = program
    .command('zk')
    .description(
      'raw ZooKeeper znodes (configuration levels are better handled with archon config)',
    )
    .option(
      '-e, --ensemble <name>',
      "ZooKeeper ensemble (default: the context's, else the only one)",
    );
  const ensembleOf = (rt: CliRuntime) =>
    rt.zkEnsemble((zk.opts() as { ensemble?: string }).ensemble);

  zk.command('ls')
    .alias('list')
    .description('children of a znode with their stat')
    .argument('[path]', 'znode path', '/')
    .option(
      '--limit <n>',
      'children per request (default 500)',
      intArg('--limit', { min: 1 }),
      500,
    )
    .option(
      '--max <n>',
      'stop after this many children (default 10000)',
      intArg('--max', { min: 1 }),
      10000,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { limit: number; max: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const znodePath = znodePathArg(pathArg);
          const items = [];
          let cursor: string | undefined;
          let total = 0;
          const pageAfter = (after: string | undefined) =>
            rt.api.call((c, o) =>
              c.zooKeeperListChildren(
                {
                  path: { ensemble, znodePath },
                  query: {
                    cursor: after,
                    limit: Math.min(options.limit, 1000),
                  },
                },
                o,
              ),
            );
          do {
            const page = await pageAfter(cursor);
            total = page.total;
            items.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor && items.length < options.max);
          const shown = items.slice(0, options.max);
          const { colors } = rt.out;
          rt.out.result({ path: znodePath, total, items: shown }, () => {
            if (!shown.length)
              return colors.dim(`${znodePath} has no children`);
            const table = formatTable(
              ['name', 'version', 'children', 'bytes', 'modified'],
              shown.map(i => [
                i.stat.ephemeral
                  ? `${i.name} ${colors.dim('(ephemeral)')}`
                  : i.name,
                i.stat.version,
                i.stat.numChildren,
                i.stat.dataLength,
                i.stat.mtime,
              ]),
              { colors, alignRight: [1, 2, 3] },
            );
            return shown.length < total
              ? `${table}\n${colors.dim(
                  `${shown.length} of ${total} children`,
                )}`
              : table;
          });
        },
      ),
    );

  zk.command('get')
    .description(
      "a znode's data (JSON pretty-printed, text, or hex) and, with --stat, its stat",
    )
    .argument('<path>', 'znode path')
    .option('--stat', 'also the stat')
    .option('--raw', 'write the exact bytes to stdout (for binary data)')
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { stat?: boolean; raw?: boolean },
        ) => {
          const ensemble = await ensembleOf(rt);
          const znode = await rt.api.call((c, o) =>
            c.zooKeeperGetZnode(
              { path: { ensemble, znodePath: znodePathArg(pathArg) } },
              o,
            ),
          );
          if (znode.configPath && !rt.out.machine) {
            rt.out.info(
              rt.out.errColors.dim(
                `note: this is the configuration level ${znode.configPath}; archon config get ${znode.configPath} validates it and masks secrets`,
              ),
            );
          }
          if (options.raw && !rt.out.machine) {
            rt.io.stdout.write(Buffer.from(znode.data.base64, 'base64'));
            return;
          }
          rt.out.result(znode, () => {
            const text = dataText(znode.data);
            if (!options.stat)
              return text === '' ? rt.out.colors.dim('(no data)') : text;
            return [
              text === '' ? rt.out.colors.dim('(no data)') : text,
              '',
              statFields(znode.stat, rt.out.colors),
            ].join('\n');
          });
        },
      ),
    );

  zk.command('set')
    .description(
      "replace a znode's data (like zkCli set: without --expected-version it overwrites whatever version is there)",
    )
    .argument('<path>', 'znode path')
    .argument('[data]', 'the data as text')
    .option(
      '-f, --file <file>',
      'the data from a file, byte for byte (- for stdin)',
    )
    .option('--json', 'the data is JSON (stored compactly)')
    .option('--base64', 'the data is base64')
    .option(
      '--expected-version <n>',
      'fail with exit 4 unless the znode is at this version',
      intArg('--expected-version', { min: -1 }),
      -1,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          value: string | undefined,
          options: {
            file?: string;
            json?: boolean;
            base64?: boolean;
            expectedVersion: number;
          },
        ) => {
          if (value === undefined && !options.file)
            throw new UsageError(
              'give the data as an argument or with -f <file>',
            );
          const data = await dataInput(rt, value, options);
          const ensemble = await ensembleOf(rt);
          const znodePath = znodePathArg(pathArg);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperSetZnodeData(
              {
                path: { ensemble, znodePath },
                body: { data, expectedVersion: options.expectedVersion },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} ${result.path}${
                result.stat
                  ? ` (version ${result.stat.version}, ${result.stat.dataLength} bytes)`
                  : ''
              }`,
          );
        },
      ),
    );

  zk.command('create')
    .description('create a znode')
    .argument('<path>', 'znode path')
    .argument('[data]', 'the data as text (default: none)')
    .option(
      '-f, --file <file>',
      'the data from a file, byte for byte (- for stdin)',
    )
    .option('--json', 'the data is JSON (stored compactly)')
    .option('--base64', 'the data is base64')
    .option('-p, --parents', 'create missing parents (empty, persistent)')
    .option(
      '--mode <mode>',
      `${MODES.join(
        ', ',
      )} (default persistent; ephemeral znodes belong to archon's session)`,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          value: string | undefined,
          options: {
            file?: string;
            json?: boolean;
            base64?: boolean;
            parents?: boolean;
            mode?: string;
          },
        ) => {
          if (
            options.mode &&
            !(MODES as readonly string[]).includes(options.mode)
          )
            throw new UsageError(`--mode must be one of ${MODES.join(', ')}`);
          const data = await dataInput(rt, value, options);
          const ensemble = await ensembleOf(rt);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperCreateZnode(
              {
                path: { ensemble, znodePath: znodePathArg(pathArg) },
                body: {
                  data,
                  mode: options.mode as (typeof MODES)[number] | undefined,
                  createParents: options.parents,
                },
              },
              o,
            ),
          );
          rt.out.result(result, () =>
            [
              `${rt.out.colors.green('✓')} created ${result.path}${
                result.createdParents.length
                  ? ` (and ${result.createdParents.join(', ')})`
                  : ''
              }`,
              ...(result.note ? [rt.out.colors.dim(result.note)] : []),
            ].join('\n'),
          );
        },
      ),
    );

  zk.command('rm')
    .alias('delete')
    .description(
      'delete a znode (-r: with everything below it); shows what goes and asks first',
    )
    .argument('<path>', 'znode path')
    .option('-r, --recursive', 'also everything below it')
    .option(
      '--expected-version <n>',
      'only if the znode is at this version (default: the version shown when asking)',
      intArg('--expected-version', { min: -1 }),
    )
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: {
            recursive?: boolean;
            expectedVersion?: number;
            yes?: boolean;
          },
        ) => {
          const znodePath = znodePathArg(pathArg);
          rt.assertCanConfirm({
            yes: options.yes,
            action: `delete ${znodePath}`,
          });
          const ensemble = await ensembleOf(rt);
          const znode = await rt.api.call((c, o) =>
            c.zooKeeperGetZnode({ path: { ensemble, znodePath } }, o),
          );
          const expectedVersion = options.expectedVersion ?? znode.stat.version;
          let expectedCount: number | undefined;
          if (options.recursive) {
            const subtree = await rt.api.call((c, o) =>
              c.zooKeeperExportSubtree(
                { path: { ensemble, znodePath }, query: {} },
                o,
              ),
            );
            expectedCount = subtree.nodeCount ?? 1;
          } else if (znode.stat.numChildren > 0) {
            throw new CliError(
              `${znodePath} has ${znode.stat.numChildren} child${
                znode.stat.numChildren === 1 ? '' : 'ren'
              }; delete them first or use -r`,
              ExitCode.Conflict,
            );
          }
          const what =
            expectedCount && expectedCount > 1
              ? `${znodePath} and everything below it (${expectedCount} znodes)`
              : `${znodePath} (version ${znode.stat.version}, ${znode.stat.dataLength} bytes)`;
          if (znode.configPath && canPrompt(rt.terminal))
            rt.out.info(
              rt.out.errColors.yellow(
                `${znodePath} is the configuration level ${znode.configPath}: archon config unset ${znode.configPath} --all keeps its history`,
              ),
            );
          await rt.confirm({ yes: options.yes, action: `delete ${what}` });
          const result = await rt.api.call((c, o) =>
            c.zooKeeperDeleteZnode(
              {
                path: { ensemble, znodePath },
                query: {
                  expectedVersion,
                  recursive: options.recursive,
                  expectedCount,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} deleted ${result.deleted} znode${
                result.deleted === 1 ? '' : 's'
              } at ${result.path}`,
          );
        },
      ),
    );

  zk.command('export')
    .description(
      'the subtree at a znode as a JSON document (to import elsewhere)',
    )
    .argument('<path>', 'znode path')
    .option(
      '-f, --file <file>',
      'write the document to this file instead of stdout',
    )
    .option('--include-stat', "add each znode's stat (ignored on import)")
    .option(
      '--max-nodes <n>',
      'fail rather than export more znodes (default and maximum 10000)',
      intArg('--max-nodes', { min: 1 }),
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { file?: string; includeStat?: boolean; maxNodes?: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const doc = await rt.api.call((c, o) =>
            c.zooKeeperExportSubtree(
              {
                path: { ensemble, znodePath: znodePathArg(pathArg) },
                query: {
                  includeStat: options.includeStat,
                  maxNodes: options.maxNodes,
                },
              },
              o,
            ),
          );
          if (options.file) {
            fs.writeFileSync(
              options.file,
              `${JSON.stringify(doc, null, 2)}\n`,
              { mode: 0o600 },
            );
            rt.out.result(
              {
                file: options.file,
                path: doc.path,
                nodeCount: doc.nodeCount,
                dataBytes: doc.dataBytes,
              },
              () =>
                `${rt.out.colors.green('✓')} exported ${doc.nodeCount} znode${
                  doc.nodeCount === 1 ? '' : 's'
                } (${doc.dataBytes} bytes of data) from ${doc.path} to ${
                  options.file
                }`,
            );
            return;
          }
          // The document is the output; as JSON unless YAML was asked for.
          if (rt.out.format === 'yaml') rt.out.result(doc, () => undefined);
          else rt.out.line(JSON.stringify(doc, null, 2));
        },
      ),
    );

  zk.command('import')
    .description(
      'apply an export document to the subtree at a znode: shows the plan, then asks (one ZooKeeper transaction)',
    )
    .argument('<path>', "znode path the document's root maps to")
    .requiredOption(
      '-f, --file <file>',
      'the export document (JSON or YAML; - for stdin)',
    )
    .option(
      '--replace',
      'also delete znodes below the path that the document does not have (default: merge)',
    )
    .option('--dry-run', 'show the plan only')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: {
            file: string;
            replace?: boolean;
            dryRun?: boolean;
            yes?: boolean;
          },
        ) => {
          const znodePath = znodePathArg(pathArg);
          if (!options.dryRun)
            rt.assertCanConfirm({
              yes: options.yes,
              action: `import into ${znodePath}`,
            });
          const text = await readInputFile(options.file, rt.io.stdin);
          let snapshot: ZooKeeperExport;
          try {
            snapshot = YAML.parse(text) as ZooKeeperExport;
          } catch (error) {
            throw new UsageError(
              `${options.file} is not a JSON or YAML export document: ${
                (error as Error).message.split('\n')[0]
              }`,
            );
          }
          if (!snapshot || typeof snapshot !== 'object' || !snapshot.root)
            throw new UsageError(
              `${options.file} is not an export document (no "root"); make one with archon zk export`,
            );
          const ensemble = await ensembleOf(rt);
          const mode = options.replace ? 'replace' : 'merge';
          const { colors } = rt.out;
          const plan = await rt.api.call((c, o) =>
            c.zooKeeperImportSubtree(
              {
                path: { ensemble, znodePath },
                body: { snapshot, mode, dryRun: true },
              },
              o,
            ),
          );
          if (options.dryRun || nothingToDo(plan)) {
            rt.out.result(
              plan,
              () =>
                `${formatPlan(plan, colors)}\n${colors.dim(
                  nothingToDo(plan)
                    ? 'nothing to do'
                    : 'dry run: nothing was changed',
                )}`,
            );
            return;
          }
          if (!rt.out.machine) rt.out.line(formatPlan(plan, colors));
          await rt.confirm({
            yes: options.yes,
            action: `apply this import into ${znodePath}`,
            question: `Apply ${
              plan.creates.length + plan.updates.length + plan.deletes.length
            } change(s) to ${znodePath}?`,
          });
          try {
            const applied = await rt.api.call((c, o) =>
              c.zooKeeperImportSubtree(
                {
                  path: { ensemble, znodePath },
                  body: {
                    snapshot,
                    mode,
                    dryRun: false,
                    expectedPlanHash: plan.planHash,
                  },
                },
                o,
              ),
            );
            rt.out.result(
              applied,
              () =>
                `${colors.green('✓')} imported into ${znodePath}: ${
                  applied.creates.length
                } created, ${applied.updates.length} updated, ${
                  applied.deletes.length
                } deleted`,
            );
          } catch (error) {
            if (error instanceof ApiError && error.status === 409) {
              const newer = (
                error.body?.error?.details as
                  | { plan?: ZooKeeperImportPlan }
                  | undefined
              )?.plan;
              throw new CliError(
                `${error.message.replace(
                  / \(HTTP.*$/,
                  '',
                )}; nothing was changed`,
                ExitCode.Conflict,
                newer
                  ? [
                      formatPlan(newer, makeColors(false)),
                      '  run the import again to review and apply the new plan',
                    ]
                  : [],
              );
            }
            throw error;
          }
        },
      ),
    );

  zk.command('find')
    .description('znode paths at or below a prefix that contain a substring')
    .argument('<text>', 'substring of the path (case-insensitive)')
    .option('--prefix <path>', 'search at or below this znode (default /)')
    .option('--case-sensitive', 'match case')
    .option(
      '--max <n>',
      'at most this many matches',
      intArg('--max', { min: 1 }),
    )
    .action(
      action(
        io,
        async (
          rt,
          text: string,
          options: { prefix?: string; caseSensitive?: boolean; max?: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperSearch(
              {
                path: { ensemble },
                query: {
                  query: text,
                  prefix: options.prefix && znodePathArg(options.prefix),
                  caseSensitive: options.caseSensitive,
                  maxResults: options.max,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              [
                ...result.matches.map(m => m.path),
                ...(result.truncated
                  ? [
                      rt.out.colors.dim(
                        `(stopped early: ${
                          result.truncatedReason ?? 'limit'
                        }; ${result.visited} znodes visited)`,
                      ),
                    ]
                  : []),
              ].join('\n') || rt.out.colors.dim('no matches'),
          );
        },
      ),
    );
}
