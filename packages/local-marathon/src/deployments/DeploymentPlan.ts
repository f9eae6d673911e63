import { randomUUID } from 'node:crypto';
import { AppDefinition } from '../model/types';
import { isOnlyScaleChange, isUpgrade } from '../model/appUpdate';
import { jsonEqual } from '../util/json';

export type ActionName =
  | 'StartApplication'
  | 'StopApplication'
  | 'ScaleApplication'
  | 'RestartApplication';

export interface DeploymentAction {
  action: ActionName;
  app: string;
  /** The definition the action deploys (for Stop: the definition being stopped). */
  spec: AppDefinition;
  /** Tasks to kill first when scaling down (kill-and-scale). */
  toKill?: string[];
}

export interface DeploymentStep {
  actions: DeploymentAction[];
}

export interface DeploymentPlan {
  id: string;
  version: string;
  steps: DeploymentStep[];
  affectedApps: string[];
  /** App definitions before and after, by id (undefined: did not / does not exist). */
  original: Map<string, AppDefinition | undefined>;
  target: Map<string, AppDefinition | undefined>;
}

export interface AppChange {
  original?: AppDefinition;
  target?: AppDefinition;
  toKill?: string[];
}

/** Groups changed apps so that an app comes after the apps it depends on. */
function dependencyOrder(apps: AppDefinition[]): AppDefinition[][] {
  const byId = new Map(apps.map(app => [app.id, app]));
  const depth = new Map<string, number>();
  const depthOf = (app: AppDefinition, seen: Set<string>): number => {
    const known = depth.get(app.id);
    if (known !== undefined) return known;
    if (seen.has(app.id)) return 0; // a dependency cycle; the server rejects those
    seen.add(app.id);
    const deps = app.dependencies
      .map(id => byId.get(id))
      .filter((d): d is AppDefinition => !!d);
    const value =
      deps.length === 0
        ? 0
        : 1 + Math.max(...deps.map(dep => depthOf(dep, seen)));
    depth.set(app.id, value);
    return value;
  };
  apps.forEach(app => depthOf(app, new Set()));
  const levels: AppDefinition[][] = [];
  for (const app of apps) {
    const level = depth.get(app.id) ?? 0;
    (levels[level] ??= []).push(app);
  }
  return levels.filter(Boolean);
}

/**
 * Builds a deployment plan like the server's DeploymentPlan.apply: first stop removed
 * apps, then start new apps (with 0 instances), then, in dependency order, scale new apps
 * and apps with an instances-only change (or scaled to 0), and restart apps whose
 * configuration changed or that were marked for restart. Empty steps are dropped.
 */
export function computePlan(
  changes: AppChange[],
  version: string,
  id: string = randomUUID(),
): DeploymentPlan {
  const original = new Map<string, AppDefinition | undefined>();
  const target = new Map<string, AppDefinition | undefined>();
  for (const change of changes) {
    const appId = (change.target ?? change.original)!.id;
    original.set(appId, change.original);
    target.set(appId, change.target);
  }
  const steps: DeploymentStep[] = [];
  steps.push({
    actions: changes
      .filter(c => c.original && !c.target)
      .map(c => ({
        action: 'StopApplication' as const,
        app: c.original!.id,
        spec: c.original!,
      })),
  });
  steps.push({
    actions: changes
      .filter(c => !c.original && c.target)
      .map(c => ({
        action: 'StartApplication' as const,
        app: c.target!.id,
        spec: c.target!,
      })),
  });
  const changed = changes.filter(
    c => c.target && !jsonEqual(c.original, c.target),
  );
  const toKillById = new Map(
    changes.map(c => [(c.target ?? c.original)!.id, c.toKill]),
  );
  for (const level of dependencyOrder(changed.map(c => c.target!))) {
    const actions: DeploymentAction[] = [];
    for (const app of level) {
      const before = original.get(app.id);
      if (!before || isOnlyScaleChange(before, app) || app.instances === 0) {
        actions.push({
          action: 'ScaleApplication',
          app: app.id,
          spec: app,
          toKill: toKillById.get(app.id),
        });
      } else if (
        isUpgrade(before, app) ||
        before.versionInfo.lastConfigChangeAt !==
          app.versionInfo.lastConfigChangeAt
      ) {
        actions.push({ action: 'RestartApplication', app: app.id, spec: app });
      }
    }
    steps.push({ actions });
  }
  const affectedApps = changes
    .filter(c => !jsonEqual(c.original, c.target))
    .map(c => (c.target ?? c.original)!.id);
  return {
    id,
    version,
    steps: steps.filter(step => step.actions.length > 0),
    affectedApps,
    original,
    target,
  };
}

/** The "light" plan JSON used in events: {id, steps, version}. */
export function renderPlan(plan: DeploymentPlan): Record<string, unknown> {
  return {
    id: plan.id,
    steps: plan.steps.map(renderStep),
    version: plan.version,
  };
}

export function renderStep(step: DeploymentStep): {
  actions: Array<{ action: ActionName; app: string }>;
} {
  return { actions: step.actions.map(a => ({ action: a.action, app: a.app })) };
}
