import type { ArchonApiClient } from '@archon/plugin-archon-common';
import { apiPath, keyProblem } from '../../lib/configPaths';
import { isApiError, unwrap } from '../../lib/errors';

export type Props = Record<string, string>;

/** A level's set as the editor starts from. */
export interface LoadedSet {
  /** A set exists at the level. */
  exists: boolean;
  /** The level exists as an intermediate level (children, no set). */
  intermediate: boolean;
  properties: Props;
  /** The version to write with: the set's, the intermediate znode's, or -1. */
  version: number;
  masked: boolean;
}

/** The set of a level; a level without a set (or no level) loads as empty. */
export async function loadSet(
  api: ArchonApiClient,
  path: string,
): Promise<LoadedSet> {
  try {
    const set = await unwrap(
      api.getConfigSet({ path: { configPath: apiPath(path) }, query: {} }),
    );
    return {
      exists: true,
      intermediate: false,
      properties: set.properties,
      version: set.version,
      masked: !!set.masked,
    };
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
  }
  try {
    const node = await unwrap(
      api.getConfigTree({ query: { prefix: path, depth: 0 } }),
    );
    return {
      exists: false,
      intermediate: true,
      properties: {},
      version: node.version ?? -1,
      masked: false,
    };
  } catch (error) {
    if (!isApiError(error, 404)) throw error;
    return {
      exists: false,
      intermediate: false,
      properties: {},
      version: -1,
      masked: false,
    };
  }
}

/** The patch turning `base` into `next`. */
export function patchOf(
  base: Props,
  next: Props,
): { set: Props; unset: string[] } {
  const set: Props = {};
  for (const [k, v] of Object.entries(next)) if (base[k] !== v) set[k] = v;
  const unset = Object.keys(base)
    .filter(k => !(k in next))
    .sort();
  return { set, unset };
}

const PROBLEM_START = /(Invalid configuration key |The value of key )/g;

/**
 * Splits the backend's 400 message ("Invalid configuration set for "/p":
 * problem; problem") into the problem of each key it names.
 */
export function problemsByKey(
  message: string,
  keys: string[],
): Record<string, string> {
  const starts: number[] = [];
  for (const m of message.matchAll(PROBLEM_START)) starts.push(m.index ?? 0);
  const problems = starts.map((start, i) =>
    message
      .slice(start, i + 1 < starts.length ? starts[i + 1] : undefined)
      .replace(/[;\s]+$/, ''),
  );
  const out: Record<string, string> = {};
  for (const key of keys) {
    const quoted = JSON.stringify(
      key.length > 64 ? `${key.slice(0, 64)}…` : key,
    );
    const problem = problems.find(
      p =>
        p.startsWith(`Invalid configuration key ${quoted}`) ||
        p.startsWith(`The value of key ${quoted}`),
    );
    if (problem) out[key] = problem;
  }
  return out;
}

export interface Row {
  id: number;
  key: string;
  value: string;
  /** Added in this edit (its key is editable). */
  isNew: boolean;
  removed: boolean;
}

let nextRowId = 1;

/** A row id unique in this page (React keys of rows added and loaded). */
export function newRowId(): number {
  return nextRowId++;
}

export function rowStatus(
  r: Row,
  original: string | undefined,
): string | undefined {
  if (r.removed) return 'removed';
  if (r.isNew || original === undefined) return 'new';
  if (original !== r.value) return 'changed';
  return undefined;
}

export function saveLabel(saving: boolean, exists: boolean): string {
  if (saving) return 'Saving…';
  return exists ? 'Save' : 'Create set';
}

export function rowsOf(properties: Props): Row[] {
  return Object.keys(properties)
    .sort()
    .map(key => ({
      id: nextRowId++,
      key,
      value: properties[key],
      isNew: false,
      removed: false,
    }));
}

export function propsOf(rows: Row[]): Props {
  const out: Props = {};
  for (const r of rows) if (!r.removed && r.key) out[r.key] = r.value;
  return out;
}

/** A new, empty row ("Add key"). */
export function emptyRow(): Row {
  return { id: newRowId(), key: '', value: '', isNew: true, removed: false };
}

/**
 * What the browser can tell without the backend, by row id: a new key that
 * is not a valid key, and a key that is in the set twice.
 */
export function rowProblems(rows: Row[]): Record<number, string> {
  const problems: Record<number, string> = {};
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (r.removed) continue;
    if (r.isNew) {
      const problem = keyProblem(r.key);
      if (problem) problems[r.id] = problem;
    }
    if (r.key && seen.has(r.key))
      problems[r.id] = `"${r.key}" is already in this set`;
    seen.set(r.key, r.id);
  }
  return problems;
}

/** A write that met a newer set: that set (theirs) and the properties this edit wanted (mine). */
export interface Conflict {
  theirs: Props;
  theirsVersion?: number;
  theirsExists: boolean;
  mine: Props;
  message: string;
}

/** The version a write over the newer set expects: its version, or -1 when there is none. */
export function theirsVersion(conflict: Conflict): number {
  return conflict.theirsExists ? conflict.theirsVersion ?? -1 : -1;
}

/**
 * The set the editor starts over from after a conflict: the newer one.
 * `edit` goes on editing the merge (a newer set without keys is only an
 * intermediate level); `cancel` drops the edit.
 */
export function baseAfterConflict(
  conflict: Conflict,
  masked: boolean,
  how: 'edit' | 'cancel',
): LoadedSet {
  const edit = how === 'edit';
  return {
    exists: edit
      ? conflict.theirsExists && Object.keys(conflict.theirs).length > 0
      : conflict.theirsExists,
    intermediate: edit ? conflict.theirsExists : false,
    properties: conflict.theirs,
    version: theirsVersion(conflict),
    masked,
  };
}

/** The rows to go on editing a merge with: keys the newer set lacks are new. */
export function rowsOfMerge(merged: Props, theirs: Props): Row[] {
  return rowsOf(merged).map(r => ({ ...r, isNew: !(r.key in theirs) }));
}
