import type { Command } from 'commander';
import type {
  ArchonApiClient,
  ConfigSet,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import {
  configPathArg,
  diffIsEmpty,
  formatConfigDiff,
  formatImpact,
  formatProperties,
  formatProvenance,
  formatTree,
  mergeSets,
  parseEditText,
  parseSetFile,
  renderEditText,
  sameSet,
  setChanges,
} from '../lib/configFormat';
import { formatReleaseDiff } from '../lib/deployFormat';
import { EditFile } from '../lib/editor';
import { ApiError, CliError, UsageError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { readInputFile } from '../lib/files';
import { formatFields, formatTable, makeColors } from '../lib/output';
import { canPrompt } from '../lib/prompt';
import {
  action,
  intArg,
  parseAssignments,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

interface EnsembleOption {
  ensemble?: string;
}

const MAX_EDIT_ROUNDS = 10;

/** Options of a write (`set`, `unset`): `--expected-version` and `--dry-run`. */
function addWriteOptions(
  cmd: Command,
  options: { mayBeAbsent?: boolean } = {},
): Command {
  return cmd
    .option(
      '--expected-version <n>',
      `fail with exit 4 unless the set is at this version${
        options.mayBeAbsent ? ' (-1: must not exist)' : ''
      }`,
      intArg('--expected-version', { min: options.mayBeAbsent ? -1 : 0 }),
    )
    .option(
      '--dry-run',
      "write nothing; show which paths' effective configuration would change",
    );
}

/** What a write would change (`--dry-run`, and the preview before deleting a set). */
function analyzeImpact(
  rt: CliRuntime,
  param: string,
  ensemble: string | undefined,
  body: Parameters<ArchonApiClient['analyzeConfigImpact']>[0]['body'],
) {
  return rt.api.call((c, o) =>
    c.analyzeConfigImpact(
      { path: { configPath: param }, query: { ensemble }, body },
      o,
    ),
  );
}

export function registerConfigCommands(program: Command, io: CliIo) {
  const config = program
    .command('config')
    .description(
      'Pheidippides configuration: sets per level, effective (merged) configuration, history and pending changes',
    )
    .option(
      '-e, --ensemble <name>',
      "ZooKeeper ensemble (default: the context's, else the server's)",
    );

  const ens = (rt: CliRuntime, options: EnsembleOption) =>
    rt.ensemble(options.ensemble ?? (config.opts() as EnsembleOption).ensemble);

  // ------------------------------------------------------------------- get
  config
    .command('get')
    .description(
      "one level's own set (not inherited keys: see resolve); with a key, only its value",
    )
    .argument('<path>', 'configuration level, e.g. /foo/bar')
    .argument('[key]', "print only this key's value")
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          key: string | undefined,
          options: EnsembleOption,
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const set = await rt.api.call((c, o) =>
            c.getConfigSet(
              { path: { configPath: param }, query: { ensemble } },
              o,
            ),
          );
          if (key !== undefined) {
            if (!Object.hasOwn(set.properties, key)) {
              throw new CliError(
                `${path} has no key "${key}" of its own`,
                ExitCode.NotFound,
                [
                  `  keys: ${
                    Object.keys(set.properties).sort().join(', ') || '(none)'
                  }`,
                  `  inherited keys: archon config resolve ${path} --explain`,
                ],
              );
            }
            rt.out.result(
              {
                path,
                key,
                value: set.properties[key],
                version: set.version,
                masked: set.masked ?? false,
              },
              () => set.properties[key],
            );
            return;
          }
          rt.out.result(set, () =>
            [
              rt.out.colors.dim(
                `${path}  version ${set.version}${
                  set.masked ? '  (secret values masked)' : ''
                }`,
              ),
              formatProperties(set.properties, rt.out.colors),
            ].join('\n'),
          );
        },
      ),
    );

  // ------------------------------------------------------------------- set
  addWriteOptions(config.command('set'), { mayBeAbsent: true })
    .description(
      'set keys of one level (creating it as needed); -f replaces the whole set from a file',
    )
    .argument('<path>', 'configuration level')
    .argument('[assignments...]', 'key=value pairs')
    .option(
      '-f, --file <file>',
      'replace the set with this YAML/JSON mapping or .properties file (- for stdin)',
    )
    .option(
      '--replace',
      'replace the whole set with the given keys (others are removed)',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          assignments: string[],
          options: EnsembleOption & {
            file?: string;
            replace?: boolean;
            expectedVersion?: number;
            dryRun?: boolean;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          let properties: Record<string, string> | undefined;
          let set: Record<string, string> | undefined;
          if (options.file) {
            if (assignments.length)
              throw new UsageError(
                'give either -f <file> or key=value pairs, not both',
              );
            properties = parseSetFile(
              await readInputFile(options.file, rt.io.stdin),
              options.file,
            );
          } else {
            if (!assignments.length)
              throw new UsageError(
                'nothing to set: give key=value pairs or -f <file>',
              );
            const parsed = parseAssignments(assignments);
            if (options.replace) properties = parsed;
            else set = parsed;
          }
          if (options.dryRun) {
            const report = await analyzeImpact(
              rt,
              param,
              ensemble,
              properties ? { properties } : { set },
            );
            rt.out.result(report, () => formatImpact(report, rt.out.colors));
            return;
          }
          const result = properties
            ? await rt.api.call((c, o) =>
                c.putConfigSet(
                  {
                    path: { configPath: param },
                    query: { ensemble },
                    body: {
                      properties: properties!,
                      expectedVersion: options.expectedVersion,
                    },
                  },
                  o,
                ),
              )
            : await rt.api.call((c, o) =>
                c.patchConfigSet(
                  {
                    path: { configPath: param },
                    query: { ensemble },
                    body: { set, expectedVersion: options.expectedVersion },
                  },
                  o,
                ),
              );
          printWrite(rt, path, result);
        },
      ),
    );

  // ----------------------------------------------------------------- unset
  addWriteOptions(config.command('unset'))
    .description(
      "remove keys from one level's set; --all deletes the set (asks first)",
    )
    .argument('<path>', 'configuration level')
    .argument('[keys...]', 'keys to remove')
    .option('--all', 'delete the whole set of the level')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          keys: string[],
          options: EnsembleOption & {
            all?: boolean;
            expectedVersion?: number;
            dryRun?: boolean;
            yes?: boolean;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          if (options.all && keys.length)
            throw new UsageError('give either keys or --all, not both');
          if (!options.all && !keys.length)
            throw new UsageError(
              'nothing to unset: give keys, or --all to delete the set',
            );
          if (options.dryRun) {
            const report = await analyzeImpact(
              rt,
              param,
              ensemble,
              options.all ? { delete: true } : { unset: keys },
            );
            rt.out.result(report, () => formatImpact(report, rt.out.colors));
            return;
          }
          let result: ConfigWriteResponse;
          if (options.all) {
            rt.assertCanConfirm({
              yes: options.yes,
              action: `delete the configuration set of ${path}`,
            });
            if (!options.yes) {
              // Show what goes away before asking.
              const report = await analyzeImpact(rt, param, ensemble, {
                delete: true,
              });
              if (canPrompt(rt.terminal))
                rt.out.info(formatImpact(report, rt.out.errColors));
            }
            await rt.confirm({
              yes: options.yes,
              action: `delete the configuration set of ${path}`,
            });
            result = await rt.api.call((c, o) =>
              c.deleteConfigSet(
                {
                  path: { configPath: param },
                  query: { ensemble, expectedVersion: options.expectedVersion },
                },
                o,
              ),
            );
          } else {
            result = await rt.api.call((c, o) =>
              c.patchConfigSet(
                {
                  path: { configPath: param },
                  query: { ensemble },
                  body: {
                    unset: keys,
                    expectedVersion: options.expectedVersion,
                  },
                },
                o,
              ),
            );
          }
          printWrite(rt, path, result);
        },
      ),
    );

  // ------------------------------------------------------------------ edit
  config
    .command('edit')
    .description(
      "edit one level's set in $EDITOR; saves only if nobody changed it meanwhile, else shows their changes and reopens the merge",
    )
    .argument('<path>', 'configuration level (created if it does not exist)')
    .action(
      action(io, async (rt, pathArg: string, options: EnsembleOption) => {
        await editSet(rt, configPathArg(pathArg), ens(rt, options));
      }),
    );

  // --------------------------------------------------------------- resolve
  config
    .command('resolve')
    .description(
      'the effective configuration of a path: all levels merged, ${} substituted',
    )
    .argument('<path>', 'configuration path, e.g. /foo/bar/service-1')
    .argument('[key]', "print only this key's value")
    .option(
      '--explain',
      'show where each key is defined, its raw value and what it overrides',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          key: string | undefined,
          options: EnsembleOption & { explain?: boolean },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const effective = await rt.api.call((c, o) =>
            c.getEffectiveConfig(
              { path: { configPath: param }, query: { ensemble } },
              o,
            ),
          );
          if (key !== undefined) {
            if (!Object.hasOwn(effective.properties, key)) {
              throw new CliError(
                `${path} has no key "${key}", not even inherited`,
                ExitCode.NotFound,
              );
            }
            const p = effective.provenance[key];
            rt.out.result(
              { path, key, value: effective.properties[key], provenance: p },
              () =>
                options.explain
                  ? formatFields(
                      [
                        ['value', effective.properties[key]],
                        ['defined at', p?.definedAt],
                        ['raw', p?.raw],
                        [
                          'overrides',
                          (p?.shadowed ?? [])
                            .map(s => `${s.path}=${s.raw}`)
                            .join(', ') || undefined,
                        ],
                      ],
                      rt.out.colors,
                    )
                  : effective.properties[key],
            );
            return;
          }
          rt.out.result(effective, () =>
            [
              rt.out.colors.dim(
                `${path}${effective.masked ? '  (secret values masked)' : ''}`,
              ),
              options.explain
                ? formatProvenance(effective, rt.out.colors)
                : formatProperties(effective.properties, rt.out.colors),
            ].join('\n'),
          );
        },
      ),
    );

  // ------------------------------------------------------------------ diff
  config
    .command('diff')
    .description(
      'pending changes: what the next deploy of the path would ship that its latest release did not',
    )
    .argument('<path>', 'configuration path')
    .option('--release <id>', 'compare this release instead of the latest one')
    .option(
      '--against <id>',
      'with --release: compare with another release instead of the current configuration',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: EnsembleOption & { release?: string; against?: string },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const { colors } = rt.out;
          if (options.against && !options.release)
            throw new UsageError('--against needs --release');
          if (options.release) {
            const diff = await rt.api.call((c, o) =>
              c.getReleaseDiff(
                {
                  path: { id: options.release! },
                  query: { against: options.against },
                },
                o,
              ),
            );
            rt.out.result(diff, () => formatReleaseDiff(diff, colors));
            return;
          }
          const pending = await rt.api.call((c, o) =>
            c.getPendingConfigChanges(
              { path: { configPath: param }, query: { ensemble } },
              o,
            ),
          );
          rt.out.result(pending, () =>
            [
              colors.dim(
                pending.latestRelease
                  ? `${path}: changes since release ${pending.latestRelease}`
                  : `${path} was never released: everything is pending`,
              ),
              ...(diffIsEmpty(pending.diff)
                ? ['no pending changes']
                : formatConfigDiff(pending.diff, colors)),
            ].join('\n'),
          );
        },
      ),
    );

  // --------------------------------------------------------------- history
  config
    .command('history')
    .description('every write through archon to one level, newest first')
    .argument('<path>', 'configuration level')
    .option(
      '-n, --limit <n>',
      'entries (default 20)',
      intArg('--limit', { min: 1 }),
      20,
    )
    .option('--before <id>', 'entries older than this one (paging)')
    .option('-p, --patch', "show each entry's key changes")
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: EnsembleOption & {
            limit: number;
            before?: string;
            patch?: boolean;
          },
        ) => {
          const { param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const history = await rt.api.call((c, o) =>
            c.getConfigHistory(
              {
                path: { configPath: param },
                query: {
                  ensemble,
                  limit: options.limit,
                  before: options.before,
                },
              },
              o,
            ),
          );
          const { colors } = rt.out;
          rt.out.result(history, () => {
            if (!history.items.length) return 'no history';
            if (options.patch) {
              return history.items
                .map(e =>
                  [
                    colors.bold(
                      `${e.createdAt}  ${e.action}  by ${e.actor}${
                        e.version !== undefined ? `  → v${e.version}` : ''
                      }  ${colors.dim(e.id)}`,
                    ),
                    ...setChanges(e.before, e.after, colors, '  '),
                  ].join('\n'),
                )
                .join('\n');
            }
            const table = formatTable(
              ['time', 'action', 'actor', 'version', 'changed keys', 'id'],
              history.items.map(e => [
                e.createdAt,
                e.action,
                e.actor,
                e.version ?? '',
                e.changedKeys.join(', '),
                e.id,
              ]),
              { colors },
            );
            return history.nextBefore
              ? `${table}\n${colors.dim(
                  `older: --before ${history.nextBefore}`,
                )}`
              : table;
          });
        },
      ),
    );

  // ------------------------------------------------------------------ tree
  config
    .command('tree')
    .description('the hierarchy under a level and which levels hold sets')
    .argument('[prefix]', 'start here (default /)', '/')
    .option(
      '-d, --depth <n>',
      'levels below the prefix (default 3)',
      intArg('--depth'),
      3,
    )
    .action(
      action(
        io,
        async (
          rt,
          prefixArg: string,
          options: EnsembleOption & { depth: number },
        ) => {
          const prefix =
            prefixArg.trim() === '/' || !prefixArg.trim()
              ? '/'
              : configPathArg(prefixArg).path;
          const ensemble = ens(rt, options);
          const tree = await rt.api.call((c, o) =>
            c.getConfigTree(
              { query: { prefix, depth: options.depth, ensemble } },
              o,
            ),
          );
          rt.out.result(tree, () => formatTree(tree, rt.out.colors));
        },
      ),
    );
}

function printWrite(rt: CliRuntime, path: string, result: ConfigWriteResponse) {
  rt.out.result(result, () => {
    const version =
      result.version !== undefined
        ? ` (version ${result.version})`
        : ' (set deleted)';
    return result.changedKeys.length
      ? `${rt.out.colors.green(
          '✓',
        )} ${path}${version}: changed ${result.changedKeys.join(', ')}`
      : `${path}${version}: nothing changed`;
  });
}

/**
 * `config edit`: the set in $EDITOR, saved with the version it was read at.
 * On 409 the newer set is merged with the edit (their changes and mine; a
 * key both changed is a conflict, mine kept and theirs noted) and the editor
 * opens again on the merge. A rejected save (400/422) reopens with the error;
 * saving the same text again gives up. An empty file aborts.
 */
async function editSet(
  rt: CliRuntime,
  target: { path: string; param: string },
  ensemble: string | undefined,
) {
  const { path, param } = target;
  const { colors } = rt.out;
  let base: ConfigSet | undefined;
  try {
    base = await rt.api.call((c, o) =>
      c.getConfigSet({ path: { configPath: param }, query: { ensemble } }, o),
    );
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  let baseProps: Record<string, string> = base?.properties ?? {};
  let expectedVersion = base ? base.version : -1;
  const intro = (version: number) => [
    `archon config edit ${path}${ensemble ? ` (ensemble ${ensemble})` : ''} — ${
      version < 0 ? 'a new set' : `version ${version}`
    }`,
    'One "key: value" per line; values are strings. Save and quit to write it,',
    'if nobody changed the set meanwhile. Delete everything to abort.',
    ...(base?.masked
      ? [
          'Secret values show as ********; leave them so to keep them unchanged.',
        ]
      : []),
    '',
  ];
  let text = renderEditText(intro(expectedVersion), baseProps);
  let lastSaved: string | undefined;
  let merging = false;
  const file = new EditFile(`${param}.yaml`);
  try {
    for (let round = 1; ; round++) {
      if (round > MAX_EDIT_ROUNDS)
        throw new CliError(
          `gave up after ${MAX_EDIT_ROUNDS} rounds; nothing was saved`,
        );
      const saved = await file.edit(text, rt.env);
      let mine: Record<string, string> | null;
      try {
        mine = parseEditText(saved);
      } catch (error) {
        if (saved === lastSaved || !canReopen(rt))
          throw keepFile(error as CliError, file);
        lastSaved = saved;
        text = withError(saved, (error as Error).message);
        continue;
      }
      if (mine === null)
        throw new CliError(
          'the file is empty: edit aborted, nothing was saved',
          ExitCode.Cancelled,
        );
      if (sameSet(mine, baseProps) && !merging) {
        file.remove();
        rt.out.result(
          { path, version: expectedVersion, changedKeys: [] },
          () => `${path}: no changes`,
        );
        return;
      }
      try {
        const result = await saveEdit(
          rt,
          { path, param, ensemble },
          baseProps,
          mine,
          expectedVersion,
        );
        file.remove();
        printWrite(rt, path, result);
        return;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 409) {
          const current = (error.body?.error?.current ?? {}) as {
            properties?: Record<string, string>;
            version?: number;
            exists?: boolean;
          };
          const theirs =
            current.exists === false ? {} : current.properties ?? {};
          const newVersion =
            current.exists === false || current.version === undefined
              ? -1
              : current.version;
          const { merged, conflicts } = mergeSets(baseProps, mine, theirs);
          rt.out.info(
            [
              `${colors.yellow(
                'conflict:',
              )} ${path} changed while you edited it (${
                expectedVersion < 0 ? 'new' : `version ${expectedVersion}`
              } → ${
                newVersion < 0 ? 'deleted' : `version ${newVersion}`
              }). Their changes:`,
              ...(setChanges(baseProps, theirs, colors, '  ').length
                ? setChanges(baseProps, theirs, colors, '  ')
                : ['  (none to the keys)']),
              conflicts.length
                ? `${conflicts.length} key${
                    conflicts.length === 1 ? '' : 's'
                  } changed on both sides: ${conflicts
                    .map(c => c.key)
                    .join(', ')} — reopening the editor on the merge`
                : 'Reopening the editor on your changes merged onto theirs; save to write the merge.',
            ].join('\n'),
          );
          const notes: Record<string, string[]> = {};
          for (const c of conflicts) {
            notes[c.key] = [
              `CONFLICT: both changed "${c.key}": yours = ${show(
                c.mine,
              )}, theirs = ${show(c.theirs)}, before = ${show(
                c.base,
              )}; yours is kept below`,
            ];
          }
          const header = [
            ...intro(newVersion).slice(0, -1),
            '',
            `The set changed while you edited it; this is your edit merged onto version ${
              newVersion < 0 ? '(deleted)' : newVersion
            }.`,
            'Their changes:',
            ...setChanges(baseProps, theirs, makeColors(false), '  '),
            ...(conflicts.length
              ? [
                  `Conflicts (marked CONFLICT below): ${conflicts
                    .map(c => c.key)
                    .join(', ')}`,
                ]
              : []),
            '',
          ];
          for (const c of conflicts)
            if (c.mine === undefined && c.theirs !== undefined)
              header.push(
                `CONFLICT: you removed "${c.key}", they set it to ${show(
                  c.theirs,
                )}`,
              );
          text = renderEditText(header, merged, notes);
          baseProps = theirs;
          expectedVersion = newVersion;
          merging = true;
          lastSaved = undefined;
          continue;
        }
        if (
          (error.status === 400 || error.status === 422) &&
          saved !== lastSaved &&
          canReopen(rt)
        ) {
          rt.out.info(
            `${colors.red('rejected:')} ${
              error.message
            } — reopening the editor`,
          );
          lastSaved = saved;
          text = withError(
            saved,
            [error.message, ...error.details.map(d => d.trim())].join('\n'),
          );
          continue;
        }
        throw keepFile(error, file);
      }
    }
  } catch (error) {
    if (
      !(
        error instanceof CliError &&
        error.details.some(d => d.includes(file.path))
      )
    )
      file.remove();
    throw error;
  }
}

/**
 * Writes an edit. A new level is created whole (must not exist); an existing
 * one gets only what changed (masked secrets left alone keep their values),
 * both checked against the version the edit started from.
 */
async function saveEdit(
  rt: CliRuntime,
  target: { path: string; param: string; ensemble?: string },
  base: Record<string, string>,
  mine: Record<string, string>,
  expectedVersion: number,
): Promise<ConfigWriteResponse> {
  const { path, param, ensemble } = target;
  if (expectedVersion < 0) {
    return rt.api.call((c, o) =>
      c.putConfigSet(
        {
          path: { configPath: param },
          query: { ensemble },
          body: { properties: mine, expectedVersion: -1 },
        },
        o,
      ),
    );
  }
  const set = Object.fromEntries(
    Object.entries(mine).filter(
      ([k, v]) => !Object.hasOwn(base, k) || base[k] !== v,
    ),
  );
  const unset = Object.keys(base).filter(k => !Object.hasOwn(mine, k));
  if (!Object.keys(set).length && !unset.length)
    return { path, version: expectedVersion, changedKeys: [] };
  return rt.api.call((c, o) =>
    c.patchConfigSet(
      {
        path: { configPath: param },
        query: { ensemble },
        body: { set, unset, expectedVersion },
      },
      o,
    ),
  );
}

/** The editor can be reopened when there is one (a terminal, or an explicit $EDITOR). */
function canReopen(rt: CliRuntime): boolean {
  return (
    canPrompt(rt.terminal) ||
    !!(rt.env.ARCHON_EDITOR || rt.env.VISUAL || rt.env.EDITOR)
  );
}

function show(value: string | undefined): string {
  return value === undefined ? '(removed)' : JSON.stringify(value);
}

function withError(saved: string, message: string): string {
  const lines = saved.split('\n').filter(l => !l.startsWith('# ERROR'));
  return `${message
    .split('\n')
    .map(l => `# ERROR: ${l}`)
    .join('\n')}\n${lines.join('\n')}`;
}

function keepFile(error: CliError, file: EditFile): CliError {
  return new CliError(error.message, error.exitCode, [
    ...error.details,
    `  your edit is kept in ${file.path}`,
  ]);
}
