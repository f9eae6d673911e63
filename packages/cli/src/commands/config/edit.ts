import type { Command } from 'commander';
import type {
  ConfigSet,
  ConfigWriteResponse,
} from '@archon/plugin-archon-common';
import {
  configPathArg,
  mergeSets,
  parseEditText,
  renderEditText,
  sameSet,
  setChanges,
} from '../../lib/configFormat';
import { EditFile } from '../../lib/editor';
import { ApiError, CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { makeColors } from '../../lib/output';
import { canPrompt } from '../../lib/prompt';
import { action, type CliIo, type CliRuntime } from '../../lib/runtime';
import {
  type EnsembleOption,
  type EnsembleResolver,
  printWrite,
} from './shared';

const MAX_EDIT_ROUNDS = 10;

/** `archon config edit`: the set in $EDITOR with merge on conflict. */
export function addEditCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
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
