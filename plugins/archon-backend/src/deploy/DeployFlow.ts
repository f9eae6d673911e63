import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type {
  ArchonDeployOutcome,
  ArchonDeployProgress,
} from '@archon/plugin-archon-node';
import type { DeployFlow as DeployFlowModel } from '@archon/plugin-archon-common';

export type DeployFlowKind = DeployFlowModel['kind'];

export type DeployFlowStatus = DeployFlowModel['status'];

/** One progress event of a flow, numbered from 1. */
export interface DeployProgressEvent extends ArchonDeployProgress {
  seq: number;
  at: string;
}

/**
 * A flow as the API shows it: the API's own model (generated from the
 * OpenAPI spec), with the outcome and progress as the adapters report them.
 */
export type DeployFlowView = Omit<DeployFlowModel, 'outcome' | 'progress'> & {
  outcome?: ArchonDeployOutcome;
  progress?: DeployProgressEvent[];
};

/** Progress kept per flow; older events are dropped beyond this. */
const MAX_EVENTS = 2000;

export function newOperationId(): string {
  return `op-${Date.now().toString(36).padStart(9, '0')}-${randomBytes(
    4,
  ).toString('hex')}`;
}

/**
 * One deploy, rollback or operation being carried out: its state and
 * progress, and the subscribers that stream it (SSE) while it runs. The
 * release (for deploys) is the durable record; this is the live view.
 */
export class DeployFlow {
  /** A deploy's or rollback's release id (chosen before the release is recorded); `op-…` for operations. */
  readonly id: string;
  readonly kind: DeployFlowKind;
  readonly instance: string;
  readonly targetKind: string;
  readonly workloadId: string;
  readonly configPath: string;
  readonly actor: string;
  readonly startedAt = new Date().toISOString();
  ensemble?: string;
  releaseId?: string;
  rollbackOf?: string;
  instances?: number;
  ref?: Record<string, unknown>;
  /** Who cancelled the orchestrator's change while the flow ran (its outcome then says so). */
  cancelledBy?: string;
  #status: DeployFlowStatus = 'running';
  #outcome?: ArchonDeployOutcome;
  #finishedAt?: string;
  #events: DeployProgressEvent[] = [];
  #seq = 0;
  readonly #emitter = new EventEmitter();
  readonly #done: Promise<void>;
  #resolveDone!: () => void;

  constructor(options: {
    id: string;
    kind: DeployFlowKind;
    instance: string;
    targetKind: string;
    workloadId: string;
    configPath: string;
    actor: string;
  }) {
    this.id = options.id;
    this.kind = options.kind;
    this.instance = options.instance;
    this.targetKind = options.targetKind;
    this.workloadId = options.workloadId;
    this.configPath = options.configPath;
    this.actor = options.actor;
    this.#emitter.setMaxListeners(0);
    this.#done = new Promise(resolve => {
      this.#resolveDone = resolve;
    });
  }

  get status(): DeployFlowStatus {
    return this.#status;
  }

  get outcome(): ArchonDeployOutcome | undefined {
    return this.#outcome;
  }

  get running(): boolean {
    return this.#status === 'running';
  }

  /** Resolves when the flow has finished (any outcome). */
  get done(): Promise<void> {
    return this.#done;
  }

  /**
   * Set while archon's database has not taken the flow's outcome (see
   * followChange): the error to answer instead of the outcome.
   */
  unrecorded?: Error;

  /**
   * Resolves when the flow has finished and its outcome is stored; rejects
   * with {@link DeployFlow.unrecorded} when it is not, so no caller reads an
   * outcome archon has no record of as done.
   */
  async recorded(): Promise<void> {
    await this.#done;
    if (this.unrecorded) throw this.unrecorded;
  }

  progress(event: ArchonDeployProgress): void {
    if (!this.running) return;
    const full: DeployProgressEvent = {
      ...event,
      seq: ++this.#seq,
      at: event.at ?? new Date().toISOString(),
    };
    this.#events.push(full);
    if (this.#events.length > MAX_EVENTS) this.#events.shift();
    this.#emitter.emit('progress', full);
  }

  finish(
    outcome: ArchonDeployOutcome,
    finishedAt = new Date().toISOString(),
  ): void {
    if (!this.running) return;
    this.#outcome = outcome;
    this.#status = outcome.result;
    this.#finishedAt = finishedAt;
    this.#emitter.emit('end');
    this.#resolveDone();
  }

  /**
   * Replays the events after `afterSeq`, then follows new ones until the flow
   * ends. Returns the unsubscribe function.
   */
  subscribe(
    afterSeq: number,
    onProgress: (event: DeployProgressEvent) => void,
    onEnd: () => void,
  ): () => void {
    for (const event of this.#events) {
      if (event.seq > afterSeq) onProgress(event);
    }
    if (!this.running) {
      onEnd();
      return () => undefined;
    }
    this.#emitter.on('progress', onProgress);
    this.#emitter.once('end', onEnd);
    return () => {
      this.#emitter.off('progress', onProgress);
      this.#emitter.off('end', onEnd);
    };
  }

  view(withProgress = false): DeployFlowView {
    return {
      id: this.id,
      kind: this.kind,
      status: this.#status,
      instance: this.instance,
      targetKind: this.targetKind,
      workloadId: this.workloadId,
      configPath: this.configPath,
      ensemble: this.ensemble,
      releaseId: this.releaseId,
      rollbackOf: this.rollbackOf,
      instances: this.instances,
      actor: this.actor,
      startedAt: this.startedAt,
      finishedAt: this.#finishedAt,
      ref: this.ref,
      outcome: this.#outcome,
      ...(withProgress ? { progress: [...this.#events] } : {}),
    };
  }
}
