/**
 * The orchestrator-neutral deploy contract. archon-backend owns the deploy
 * flow (releases, locking, progress, outcome, rollback); an orchestrator
 * module (archon-marathon, later others) contributes an adapter through
 * `archonModulesExtensionPoint.addDeployAdapter` that knows how to turn an
 * effective configuration into a workload definition and how to ship it.
 *
 * Adapters throw archon's usual errors: `UnprocessableError` (422) for a
 * configuration that cannot be rendered or a definition the orchestrator
 * refuses, `InputError` (400), `NotFoundError` (404),
 * {@link DeploymentInProgressError} (409), `ServiceUnavailableError` (503)
 * and {@link UpstreamTimeoutError} (504), each naming the instance.
 */

/** One place an adapter deploys to, e.g. the Marathon instance `local`. */
export interface ArchonDeployTarget {
  /** Unique across all adapters; the `instance` of deploy requests. */
  name: string;
  /** The orchestrator, e.g. `marathon`. */
  kind: string;
  /** Where it is (no secrets), for listings. */
  endpoint?: string;
}

/** A workload (Marathon app, ...) on one target. */
export interface ArchonWorkloadRef {
  instance: string;
  /** The orchestrator's id, e.g. the Marathon app id `/foo/bar/service-1`. */
  id: string;
}

export interface ArchonRenderRequest {
  instance: string;
  configPath: string;
  ensemble: string;
  /** The effective (resolved, unmasked) configuration to render. */
  properties: Readonly<Record<string, string>>;
  /** The release the definition is for; absent for dry runs. */
  releaseId?: string;
  /** Whether a configuration key holds a secret (its value must be masked when shown). */
  isSecretKey?: (key: string) => boolean;
  /**
   * The instance count the app was last scaled to through archon: the
   * definition keeps it when the configuration sets no instance count.
   */
  scaledInstances?: number;
}

/**
 * A definition as it would be sent to the orchestrator: its own fields, at
 * least the workload's id (the API's `MarathonAppDefinition` is this shape).
 */
export interface ArchonWorkloadDefinition {
  id: string;
  [field: string]: unknown;
}

export interface ArchonRenderedWorkload {
  instance: string;
  id: string;
  configPath: string;
  /** The definition as it would be sent to the orchestrator. */
  definition: ArchonWorkloadDefinition;
  /**
   * Dotted paths into `definition` whose values come from secret keys
   * (e.g. `env.DB_PASSWORD`): masked whenever the definition or a diff of it
   * is shown to a caller who may not see secrets.
   */
  secretFields: string[];
  /** The instance count the definition asks for. */
  instances: number;
}

/** One field that differs between the running workload and a rendered one. */
export interface ArchonDefinitionChange {
  /** Dotted path, e.g. `env.X`, `instances`, `healthChecks[0].path`. */
  field: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface ArchonWorkloadDiff {
  /** Whether the workload exists on the target now. */
  exists: boolean;
  /** What the deploy would change (archon's own release bookkeeping left out). */
  changes: ArchonDefinitionChange[];
  /** What runs now, as far as archon's labels tell. */
  running?: { configPath?: string; releaseId?: string; version?: string };
}

/**
 * The state word of a workload; the same words as `ArchonAppState` in
 * archon-common, whose `computeAppState` adapters use to compute it.
 */
export type ArchonWorkloadState =
  | 'healthy'
  | 'running'
  | 'degraded'
  | 'crash-looping'
  | 'deploying'
  | 'suspended'
  | 'missing';

export interface ArchonWorkloadStatus {
  instance: string;
  id: string;
  exists: boolean;
  state: ArchonWorkloadState;
  /** Wanted instances. */
  instances: number;
  staged: number;
  running: number;
  healthy: number;
  unhealthy: number;
  /** The configuration path and release the workload was deployed from (labels). */
  configPath?: string;
  releaseId?: string;
  /** The orchestrator's version of the definition. */
  version?: string;
  /** The orchestrator's changes in progress that touch the workload. */
  deployments: string[];
  lastFailure?: {
    message: string;
    at?: string;
    taskId?: string;
    host?: string;
  };
}

/**
 * One step of progress, streamed to the caller while a change is carried out.
 * `unreachable`: the orchestrator stopped answering while the change ran (its
 * outcome is unknown until it answers again; the streams archon serves end
 * then); `reachable`: it answers again, and events it sent meanwhile may have
 * been missed (the adapter re-reads its state).
 */
export interface ArchonDeployProgress {
  type:
    | 'step'
    | 'task'
    | 'health'
    | 'info'
    | 'warning'
    | 'unreachable'
    | 'reachable';
  message: string;
  /** ISO time; the flow fills it in when absent. */
  at?: string;
  data?: Record<string, unknown>;
}

export interface ArchonDeployOutcome {
  result: 'succeeded' | 'failed' | 'timeout';
  /** Why it failed or timed out, in the orchestrator's words where it gave them. */
  reason?: string;
  details?: Record<string, unknown>;
}

export interface ArchonChangeOptions {
  /** Override the orchestrator's lock on the workload (cancels what holds it). Only on explicit request. */
  force?: boolean;
  /** Give up following after this long (outcome `timeout`). */
  timeoutMs: number;
  /**
   * After the orchestrator reports the change done, how long the wanted
   * instances must keep running (and healthy, where checked) before it counts
   * as succeeded; a task that ends in this window fails it
   * (`archon.deploy.settleSeconds`). 0 trusts the orchestrator's word.
   */
  settleMs?: number;
  /**
   * Failed tasks in a row, since the change was sent, that make it fail as a
   * crash loop without waiting for the timeout (`archon.deploy.crashLoopFailures`).
   */
  crashLoopFailures?: number;
  onProgress(progress: ArchonDeployProgress): void;
}

/** A change the orchestrator accepted and is now carrying out. */
export interface ArchonChangeHandle {
  /** The orchestrator's ids for the change, e.g. `{ deploymentId, version }`. */
  ref: Record<string, unknown>;
  /** Settles when the orchestrator reports success or failure, or at the timeout. Never rejects. */
  done: Promise<ArchonDeployOutcome>;
}

/**
 * What an orchestrator module implements so archon-backend can deploy
 * configuration paths to it, and operate the resulting workloads.
 */
export interface ArchonDeployAdapter {
  /** e.g. `marathon`. */
  readonly kind: string;
  targets(): ArchonDeployTarget[];
  /** The workload id a configuration path deploys to (422 when it cannot be derived). */
  workloadId(instance: string, configPath: string): string;
  /** Renders a definition from an effective configuration; pure (422 on bad input). */
  render(request: ArchonRenderRequest): ArchonRenderedWorkload;
  /** The rendered definition against what runs now. */
  diff(workload: ArchonRenderedWorkload): Promise<ArchonWorkloadDiff>;
  status(ref: ArchonWorkloadRef): Promise<ArchonWorkloadStatus>;
  /** Ships the definition; resolves once the orchestrator accepted it. */
  deploy(
    workload: ArchonRenderedWorkload,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle>;
  scale(
    ref: ArchonWorkloadRef,
    instances: number,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle>;
  restart(
    ref: ArchonWorkloadRef,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle>;
  destroy(
    ref: ArchonWorkloadRef,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle>;
  /**
   * Stops the orchestrator's change a flow started (its `ref`), e.g. Marathon
   * `DELETE /v2/deployments/{id}`, which rolls back unless `force`. 409
   * (`ConflictError`) when that change is not running any more.
   */
  cancel?(
    instance: string,
    ref: Record<string, unknown>,
    options: { force?: boolean },
  ): Promise<{ rollbackRef?: Record<string, unknown> }>;
}
