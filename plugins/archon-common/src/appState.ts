/*
 * The one word archon uses for the state of a deployed app, computed in one
 * place for the graph, `archon apps ls` / `apps status`, the Deploy and
 * Monitor tabs and the Marathon page (issue #13): green means green.
 */

/**
 * - `healthy`: all wanted instances run and pass their health checks
 * - `running`: all wanted instances run; the app has no health checks
 * - `degraded`: fewer run (or pass their checks) than wanted
 * - `crash-looping`: tasks of the current version keep failing
 * - `deploying`: a change is being rolled out
 * - `suspended`: scaled to 0 on purpose
 * - `missing`: there is no such app
 */
export type ArchonAppState =
  | 'healthy'
  | 'running'
  | 'degraded'
  | 'crash-looping'
  | 'deploying'
  | 'suspended'
  | 'missing';

export const ARCHON_APP_STATES: readonly ArchonAppState[] = [
  'healthy',
  'running',
  'degraded',
  'crash-looping',
  'deploying',
  'suspended',
  'missing',
];

/** What the state is computed from (any orchestrator's app, in counts). */
export interface ArchonAppFacts {
  exists: boolean;
  /** Wanted instances. */
  instances: number;
  running: number;
  healthy: number;
  unhealthy: number;
  hasHealthChecks: boolean;
  /** A change touching the app is in progress. */
  deploying: boolean;
  /** The app's last failed task, if any. */
  lastFailure?: { at?: string; version?: string; state?: string };
  /** The version new tasks are launched from. */
  version?: string;
}

const TERMINAL_FAILURES = new Set([
  'TASK_FAILED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_KILLED',
]);

/** A failure older than this no longer makes an app crash-looping. */
export const CRASH_LOOP_WINDOW_MS = 5 * 60_000;

/** The state word of an app; `now` for tests. */
export function computeAppState(
  facts: ArchonAppFacts,
  now = Date.now(),
): ArchonAppState {
  if (!facts.exists) return 'missing';
  const wanted = facts.instances;
  const good = facts.hasHealthChecks ? facts.healthy : facts.running;
  const failedAt = facts.lastFailure?.at
    ? Date.parse(facts.lastFailure.at)
    : NaN;
  // Only tasks that ended count (Marathon also records e.g. a deployment step's timeout there).
  const taskEnded =
    !facts.lastFailure?.state || TERMINAL_FAILURES.has(facts.lastFailure.state);
  const failingNow =
    wanted > 0 &&
    taskEnded &&
    good < wanted &&
    now - failedAt <= CRASH_LOOP_WINDOW_MS &&
    (!facts.version ||
      !facts.lastFailure?.version ||
      facts.lastFailure.version >= facts.version);
  // A rollout that cannot start its tasks is a crash loop, not progress.
  if (failingNow) return 'crash-looping';
  if (facts.deploying) return 'deploying';
  if (wanted === 0) return 'suspended';
  if (facts.unhealthy > 0 || good < wanted) return 'degraded';
  return facts.hasHealthChecks ? 'healthy' : 'running';
}

/** Whether the app runs as wanted: the only states `archon apps status` exits 0 for. */
export function isAppStateGood(state: ArchonAppState): boolean {
  return state === 'healthy' || state === 'running';
}

/**
 * Worst first: what a group of apps (a Marathon folder) is shown as. A
 * crash loop outweighs a shortfall, which outweighs a change in progress;
 * `running` (no health checks, so less is known) comes before `healthy`.
 */
const WORST_FIRST: readonly ArchonAppState[] = [
  'crash-looping',
  'degraded',
  'missing',
  'deploying',
  'suspended',
  'running',
  'healthy',
];

/** The worst of the apps' state words; `missing` for no apps at all. */
export function worstAppState(states: readonly string[]): ArchonAppState {
  let worst = WORST_FIRST.length;
  for (const state of states) {
    const rank = WORST_FIRST.indexOf(state as ArchonAppState);
    if (rank >= 0 && rank < worst) worst = rank;
  }
  return WORST_FIRST[worst] ?? 'missing';
}
