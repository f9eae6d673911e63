import { AppStore } from '../model/AppStore';
import { AppDefinition } from '../model/types';
import { isOnlyScaleChange, isUpgrade } from '../model/appUpdate';
import { assignServicePorts, servicePortsOf } from '../model/servicePorts';
import { appsUnder, clashesWithGroups } from '../model/groupTree';
import { ROOT } from '../model/pathId';
import { renderAppDefinition } from '../api/renderApp';
import { EventBus } from '../events/EventBus';
import { Scheduler } from '../runtime/Scheduler';
import { isHealthy, Task } from '../runtime/Task';
import { computePlan, DeploymentPlan } from '../deployments/DeploymentPlan';
import {
  DeploymentManager,
  deploymentFailureRecord,
  RunningDeployment,
} from '../deployments/DeploymentManager';
import {
  appLocked,
  appNotFound,
  conflict,
  groupNotFound,
  notFound,
  objectNotValid,
} from '../http/errors';
import { cloneJson, jsonEqual } from '../util/json';
import { VersionClock } from '../util/time';

export interface ChangeRequest {
  appId: string;
  /** The new definition (normalised, version fields ignored); undefined deletes the app. */
  target?: AppDefinition;
  /** Mark for a restart even if the definition did not change (POST .../restart). */
  restart?: boolean;
  /** Tasks to kill while scaling down (kill-and-scale). */
  toKill?: string[];
}

/** Who asked, for `api_post_event`. */
export interface ApiCaller {
  clientIp: string;
  uri: string;
}

const CANCELLED = 'The upgrade has been cancelled';

/**
 * The write side of the API: turns requests into new app definitions and versions,
 * enforces deployment locks (409 unless force), stores the result, and starts the
 * deployment that brings the running tasks in line.
 */
export class AppService {
  readonly deployments: DeploymentManager;

  constructor(
    private readonly store: AppStore,
    private readonly scheduler: Scheduler,
    private readonly events: EventBus,
    private readonly clock: VersionClock,
    private readonly host: string,
    stepTimeoutMs: number,
  ) {
    this.deployments = new DeploymentManager(
      scheduler,
      events,
      { stepTimeoutMs, pollIntervalMs: 200 },
      (deployment, reason) => this.onDeploymentFailed(deployment, reason),
    );
  }

  /** After a server restart: relaunch the stored apps' tasks (no deployment, as on failover). */
  restore(): void {
    for (const app of this.store.all())
      this.scheduler.setRunSpec(app, app.instances);
  }

  deploy(
    changes: ChangeRequest[],
    options: { force: boolean; caller?: ApiCaller },
  ): DeploymentPlan {
    const version = this.clock.now();
    const resolved = changes.map(change => ({
      original: this.store.get(change.appId),
      target: change.target ? cloneJson(change.target) : undefined,
      restart: change.restart === true,
      toKill: change.toKill,
    }));
    const changedIds = new Set(changes.map(c => c.appId));
    const remaining = this.store.all().filter(app => !changedIds.has(app.id));
    const usedServicePorts = new Set(remaining.flatMap(servicePortsOf));
    for (const change of resolved) {
      if (!change.target) continue;
      const allAfter = [
        ...remaining,
        ...resolved.flatMap(r => (r.target ? [r.target] : [])),
      ];
      if (clashesWithGroups(change.target.id, allAfter)) {
        throw objectNotValid([
          {
            path: '/',
            errors: [
              'Groups and Applications may not have the same identifier.',
            ],
          },
        ]);
      }
      assignServicePorts(change.target, change.original, usedServicePorts);
      servicePortsOf(change.target).forEach(port => usedServicePorts.add(port));
      this.assignVersion(
        change.target,
        change.original,
        version,
        change.restart,
      );
    }
    const affected = resolved
      .filter(r => !jsonEqual(r.original, r.target))
      .map(r => (r.target ?? r.original)!.id);
    const locking = this.deployments.lockingDeployments(affected);
    if (locking.length > 0 && !options.force) throw appLocked(locking);
    for (const id of locking)
      this.cancelDeployment(id, CANCELLED, new Set(affected));

    for (const change of resolved) {
      if (change.target) this.store.save(change.target);
      else if (change.original) this.store.delete(change.original.id);
    }
    this.store.rootVersion = version;
    const plan = computePlan(
      resolved.map(r => ({
        original: r.original,
        target: r.target,
        toKill: r.toKill,
      })),
      version,
    );
    if (options.caller) {
      for (const change of resolved) {
        if (!change.target) continue;
        this.events.publish('api_post_event', {
          clientIp: options.caller.clientIp,
          uri: options.caller.uri,
          appDefinition: renderAppDefinition(change.target),
        });
      }
    }
    this.deployments.start(plan);
    return plan;
  }

  /** The server's GroupVersioningUtil: which version fields move with which change. */
  private assignVersion(
    target: AppDefinition,
    original: AppDefinition | undefined,
    version: string,
    restart: boolean,
  ) {
    if (!original) {
      target.version = version;
      target.versionInfo = {
        lastScalingAt: version,
        lastConfigChangeAt: version,
      };
    } else if (isUpgrade(original, target)) {
      target.version = version;
      target.versionInfo = {
        lastScalingAt: version,
        lastConfigChangeAt: version,
      };
    } else if (isOnlyScaleChange(original, target)) {
      target.version = version;
      target.versionInfo = {
        lastScalingAt: version,
        lastConfigChangeAt: original.versionInfo.lastConfigChangeAt,
      };
    } else if (restart) {
      target.version = version;
      target.versionInfo = {
        lastScalingAt: original.versionInfo.lastScalingAt,
        lastConfigChangeAt: version,
      };
    } else {
      target.version = original.version;
      target.versionInfo = { ...original.versionInfo };
    }
  }

  createApp(
    app: AppDefinition,
    force: boolean,
    caller: ApiCaller,
  ): DeploymentPlan {
    if (this.store.has(app.id))
      throw conflict(`An app with id [${app.id}] already exists.`);
    return this.deploy([{ appId: app.id, target: app }], { force, caller });
  }

  deleteApp(appId: string, force: boolean): DeploymentPlan {
    if (!this.store.has(appId)) throw appNotFound(appId);
    return this.deploy([{ appId }], { force });
  }

  restartApp(appId: string, force: boolean): DeploymentPlan {
    const current = this.store.get(appId);
    if (!current) throw appNotFound(appId);
    return this.deploy([{ appId, target: cloneJson(current), restart: true }], {
      force,
    });
  }

  deleteGroup(groupId: string, force: boolean): DeploymentPlan {
    const apps = appsUnder(this.store.all(), groupId);
    if (apps.length === 0 && groupId !== ROOT) throw groupNotFound(groupId);
    return this.deploy(
      apps.map(app => ({ appId: app.id })),
      { force },
    );
  }

  /** Kill without scaling: the instances are replaced. */
  killTasks(tasks: Task[]): void {
    for (const task of tasks) this.scheduler.kill(task, 'KilledByApi', false);
  }

  /** Kill-and-scale: a deployment lowering `instances` that kills exactly these tasks. */
  killAndScale(appId: string, tasks: Task[], force: boolean): DeploymentPlan {
    const current = this.store.get(appId);
    if (!current) throw appNotFound(appId);
    const target = cloneJson(current);
    target.instances = Math.max(0, current.instances - tasks.length);
    return this.deploy([{ appId, target, toKill: tasks.map(t => t.taskId) }], {
      force,
    });
  }

  /** DELETE /v2/deployments/{id}: cancel, and (unless force) deploy the previous definitions. */
  cancelOrRollback(
    deploymentId: string,
    force: boolean,
  ): DeploymentPlan | undefined {
    const running = this.deployments.get(deploymentId);
    if (!running)
      throw notFound(`DeploymentPlan ${deploymentId} does not exist`);
    if (force) {
      this.cancelDeployment(deploymentId, CANCELLED, new Set());
      return undefined;
    }
    const { plan } = running;
    const changes: ChangeRequest[] = plan.affectedApps.map(appId => {
      const before = plan.original.get(appId);
      return { appId, target: before ? cloneJson(before) : undefined };
    });
    this.cancelDeployment(deploymentId, CANCELLED, new Set(plan.affectedApps));
    return this.deploy(changes, { force: true });
  }

  resetDelay(appId: string): boolean {
    const inQueue = this.scheduler
      .queue()
      .some(entry => entry.app.id === appId);
    if (inQueue) {
      this.scheduler.delays.reset(appId);
      this.scheduler.reconcileAll();
    }
    return inQueue;
  }

  close(): void {
    this.deployments.close();
  }

  /**
   * Cancels a running deployment. Apps it affected that no new deployment takes over are
   * settled at their stored definition, so a half-done upgrade does not leave surplus tasks.
   */
  private cancelDeployment(
    id: string,
    reason: string,
    takenOver: Set<string>,
  ): void {
    const cancelled = this.deployments.cancel(id, reason);
    if (!cancelled) return;
    for (const appId of cancelled.plan.affectedApps) {
      if (!takenOver.has(appId)) this.settle(appId);
    }
  }

  private settle(appId: string): void {
    const app = this.store.get(appId);
    if (!app) {
      for (const task of this.scheduler.tasksOf(appId))
        this.scheduler.kill(task, 'Deleting', true);
      this.scheduler.setTarget(appId, 0);
      return;
    }
    this.scheduler.setRunSpec(app, app.instances);
    const active = this.scheduler.activeTasksOf(appId);
    const surplus = active.length - app.instances;
    if (surplus <= 0) return;
    const order = [...active].sort((a, b) => {
      const health = Number(isHealthy(a)) - Number(isHealthy(b));
      return health !== 0 ? health : b.stagedAt.localeCompare(a.stagedAt);
    });
    for (const task of order.slice(0, surplus))
      this.scheduler.kill(task, 'Scaling', true);
  }

  private onDeploymentFailed(
    deployment: RunningDeployment,
    reason: string,
  ): void {
    const startedAt = deployment.stepStartedAt;
    for (const appId of deployment.plan.affectedApps) {
      this.settle(appId);
      const app = this.store.get(appId);
      if (!app) continue;
      const known = this.store.taskFailure(appId);
      const recent = known && Date.parse(known.timestamp) >= startedAt - 1000;
      const record = deploymentFailureRecord(
        appId,
        app.version,
        reason,
        this.scheduler,
        this.host,
        this.store.agentId,
      );
      this.store.recordTaskFailure(
        recent ? { ...known, message: `${known.message} (${reason})` } : record,
      );
    }
  }
}
