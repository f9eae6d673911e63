import type { ArchonDefinitionChange } from '@archon/plugin-archon-node';
import type { MarathonApp } from '../client/types';
import { ARCHON_LABELS } from './renderApp';

/** Fields Marathon manages itself: never part of a diff. */
const VOLATILE = new Set([
  'version',
  'versionInfo',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
]);
/** Port fields where 0 means "Marathon picks one": any assigned value matches it. */
const ASSIGNED_PORTS = new Set(['port', 'servicePort', 'hostPort']);
/** What archon renders: a field here that the new definition leaves out is reported as removed. */
const REMOVABLE = ['cmd', 'args', 'container'];

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function fieldPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/**
 * Every leaf that differs between two JSON values: `env.X`, `instances`,
 * `healthChecks[0].path`. Objects compare key by key, arrays index by index.
 */
export function diffJson(
  before: unknown,
  after: unknown,
  base = '',
): ArchonDefinitionChange[] {
  const absent = (v: unknown) => v === undefined || v === null;
  // A whole object or list that appears or disappears is shown leaf by leaf.
  if (absent(before) && (isObject(after) || Array.isArray(after)))
    return diffJson(Array.isArray(after) ? [] : {}, after, base);
  if (absent(after) && (isObject(before) || Array.isArray(before)))
    return diffJson(before, Array.isArray(before) ? [] : {}, base);
  if (isObject(before) && isObject(after)) {
    const keys = [
      ...new Set([...Object.keys(before), ...Object.keys(after)]),
    ].sort();
    return keys.flatMap(key => {
      if (!base && VOLATILE.has(key)) return [];
      return diffJson(before[key], after[key], fieldPath(base, key));
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    const out: ArchonDefinitionChange[] = [];
    for (let i = 0; i < length; i++)
      out.push(...diffJson(before[i], after[i], fieldPath(base, i)));
    return out;
  }
  if (absent(before) && absent(after)) return [];
  if (absent(before)) return [{ field: base, change: 'added', after }];
  if (absent(after)) return [{ field: base, change: 'removed', before }];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ field: base, change: 'changed', before, after }];
}

/** The running value seen through the shape of the rendered one (defaults Marathon adds are left out). */
function project(running: unknown, rendered: unknown, key?: string): unknown {
  if (
    key &&
    ASSIGNED_PORTS.has(key) &&
    rendered === 0 &&
    typeof running === 'number'
  )
    return 0;
  if (Array.isArray(rendered)) {
    if (!Array.isArray(running)) return running;
    return running.map((item, i) =>
      i < rendered.length ? project(item, rendered[i]) : item,
    );
  }
  if (isObject(rendered)) {
    if (!isObject(running)) return running;
    return Object.fromEntries(
      Object.keys(rendered).map(k => [k, project(running[k], rendered[k], k)]),
    );
  }
  return running;
}

/**
 * What deploying `rendered` would change in the running app: only the fields
 * archon renders are compared (Marathon's filled-in defaults are not changes),
 * environment and labels in full, and archon's release label is left out
 * (every deploy changes it).
 */
export function diffAgainstRunning(
  running: MarathonApp | undefined,
  rendered: MarathonApp,
): ArchonDefinitionChange[] {
  const withoutRelease = (labels?: Record<string, string>) => {
    const copy = { ...(labels ?? {}) };
    delete copy[ARCHON_LABELS.release];
    return copy;
  };
  const target: Record<string, unknown> = {
    ...rendered,
    labels: withoutRelease(rendered.labels),
  };
  delete target.id;
  if (!running) return diffJson({}, target);
  const current: Record<string, unknown> = {};
  for (const key of Object.keys(target)) {
    if (key === 'env' || key === 'labels') continue;
    current[key] = project(running[key], target[key], key);
  }
  current.env = running.env ?? {};
  current.labels = withoutRelease(running.labels);
  for (const key of REMOVABLE) {
    if (
      !(key in target) &&
      running[key] !== undefined &&
      running[key] !== null
    ) {
      current[key] = running[key];
    }
  }
  return diffJson(current, target);
}
