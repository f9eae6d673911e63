import { ConflictError } from '@backstage/errors';
import type {
  ArchonAppOperationResult,
  ArchonAppOperations,
} from '@archon/plugin-archon-node';
import type { Request } from 'express';
import type {
  ConsumerGroupService,
  ResetRequest,
} from './ConsumerGroupService';

/** The app a consumer group belongs to, as the coordinated reset operates it. */
export interface GroupOwnerApp {
  instance: string;
  configPath: string;
  workloadId: string;
}

/** One step of a coordinated reset and how it ended. */
export interface CoordinatedResetStep {
  step: 'suspend' | 'wait' | 'reset' | 'restore';
  result: 'succeeded' | 'failed' | 'timeout' | 'skipped';
  /** The deploy flow's id, for suspend and restore. */
  deployId?: string;
  reason?: string;
}

export interface CoordinatedResetSettings {
  /** How long to wait for the group to become Empty once the app is suspended, unless the request says. */
  waitTimeoutMs: number;
  /** Between two looks at the group's state. */
  pollIntervalMs: number;
}

type ResetPlan = Awaited<ReturnType<ConsumerGroupService['resetOffsets']>>;

/** States in which nothing consumes in the group. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

/**
 * The coordinated offset reset: the one app archon deployed that declares
 * the group is suspended through the deploy flow, the group is given a
 * bounded time to become Empty, the offsets are reset, and the app is scaled
 * back to the instances it had, whatever happened in between.
 */
export class CoordinatedResetService {
  readonly #groups: ConsumerGroupService;
  readonly #apps: ArchonAppOperations;
  readonly #settings: CoordinatedResetSettings;

  constructor(
    groups: ConsumerGroupService,
    apps: ArchonAppOperations,
    settings: CoordinatedResetSettings,
  ) {
    this.#groups = groups;
    this.#apps = apps;
    this.#settings = settings;
  }

  /** The one archon-deployed app that declares the group; 409 saying why there is none. */
  async owner(cluster: string, groupId: string): Promise<GroupOwnerApp> {
    const owners = await this.#apps.groupOwners(cluster, groupId);
    const refuse = (why: string) =>
      new ConflictError(
        `a coordinated reset of consumer group "${groupId}" is not possible: ${why}`,
      );
    if (owners.length === 0) {
      throw refuse(
        `no deployed app declares it (a "…group.id" key in the app's configuration, e.g. kafka.group.id=${groupId}); stop its consumers yourself and reset without "coordinated"`,
      );
    }
    if (owners.length > 1) {
      const names = owners.map(
        o =>
          `${o.workloadId} on ${o.instance}${
            o.configPath ? ` (${o.configPath})` : ''
          }`,
      );
      throw refuse(
        `it is declared by ${owners.length} apps (${names.join(
          ', ',
        )}); archon suspends one owning app, so stop the others first or reset without "coordinated"`,
      );
    }
    const [owner] = owners;
    if (!owner.configPath) {
      throw refuse(
        `it belongs to ${owner.workloadId} on ${owner.instance}, which archon did not deploy (no configuration path label); archon only suspends apps it deploys`,
      );
    }
    return {
      instance: owner.instance,
      configPath: owner.configPath,
      workloadId: owner.workloadId,
    };
  }

  /** The dry run: the owning app and its instances now, and the offsets and lag the reset would leave. */
  async preview(
    cluster: string,
    groupId: string,
    request: ResetRequest,
    owner: GroupOwnerApp,
  ) {
    const [plan, status] = await Promise.all([
      this.#groups.resetOffsets(cluster, groupId, { ...request, dryRun: true }),
      this.#apps.status(owner),
    ]);
    let reason: string | null = null;
    if (!status.exists)
      reason = `${owner.workloadId} does not exist on ${owner.instance}`;
    else if (status.deployments.length > 0) {
      reason = `${owner.workloadId} on ${
        owner.instance
      } is locked by deployment ${status.deployments.join(', ')}`;
    }
    return {
      ...plan,
      coordinated: true,
      canApply: reason === null,
      reason,
      app: { ...owner, instances: status.instances, state: status.state },
    };
  }

  /**
   * Suspends the owner, waits for the group to be Empty, resets, and scales
   * the owner back to the instances it had; the restore runs whether the
   * wait or the reset failed. A failure is rethrown with what was restored
   * added to its message; a failed restore after a good reset is reported
   * in the result (`restored: false`).
   */
  async execute(
    req: Request<any, any, any, any>,
    cluster: string,
    groupId: string,
    request: ResetRequest,
    owner: GroupOwnerApp,
    options: { waitTimeoutMs?: number } = {},
  ) {
    // Bad input (unknown topic, missing timestamp) fails here, before the app is touched.
    await this.#groups.resetOffsets(cluster, groupId, {
      ...request,
      dryRun: true,
    });
    const status = await this.#apps.status(owner);
    if (!status.exists) {
      throw new ConflictError(
        `${owner.workloadId} does not exist on ${owner.instance}; nothing to suspend for the reset of "${groupId}"`,
      );
    }
    const recordedInstances = status.instances;
    const why = `coordinated offset reset of consumer group "${groupId}" on Kafka cluster "${cluster}"`;
    const steps: CoordinatedResetStep[] = [];

    let suspended: ArchonAppOperationResult | undefined;
    if (recordedInstances > 0) {
      // Refused (409 while a deploy runs on the app, 404, 503): nothing was changed yet.
      suspended = await this.#apps.suspend(req, {
        configPath: owner.configPath,
        instance: owner.instance,
        reason: why,
      });
      steps.push(stepOf('suspend', suspended));
    } else {
      steps.push({
        step: 'suspend',
        result: 'skipped',
        reason: `${owner.workloadId} already has 0 instances`,
      });
    }

    let reset: ResetPlan | undefined;
    let failure: Error | undefined;
    try {
      if (suspended && suspended.result !== 'succeeded') {
        throw new ConflictError(
          `suspending ${owner.workloadId} on ${owner.instance} ended ${
            suspended.result
          }${suspended.reason ? `: ${suspended.reason}` : ''}`,
        );
      }
      steps.push(
        await this.#waitUntilEmpty(
          cluster,
          groupId,
          owner,
          options.waitTimeoutMs ?? this.#settings.waitTimeoutMs,
        ),
      );
      reset = await this.#groups.resetOffsets(cluster, groupId, {
        ...request,
        dryRun: false,
      });
      steps.push({ step: 'reset', result: 'succeeded' });
    } catch (error) {
      failure = error as Error;
    } finally {
      steps.push(await this.#restore(req, owner, recordedInstances, why));
    }
    const restore = steps[steps.length - 1];
    const restored =
      restore.result === 'succeeded' || restore.result === 'skipped';
    if (failure) {
      failure.message = `${
        failure.message
      }; nothing was reset. ${restoreSentence(
        owner,
        recordedInstances,
        restore,
      )}`;
      throw failure;
    }
    return {
      ...reset!,
      coordinated: true,
      app: { ...owner, instances: recordedInstances },
      restored,
      steps,
      ...(restored
        ? {}
        : { reason: restoreSentence(owner, recordedInstances, restore) }),
    };
  }

  async #waitUntilEmpty(
    cluster: string,
    groupId: string,
    owner: GroupOwnerApp,
    timeoutMs: number,
  ): Promise<CoordinatedResetStep> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { state, members } = await this.#groups.state(cluster, groupId);
      if (members === 0 && INACTIVE_STATES.has(state))
        return {
          step: 'wait',
          result: 'succeeded',
          reason: `group is ${state}`,
        };
      if (Date.now() >= deadline) {
        const seconds = Math.round(timeoutMs / 1000);
        throw new ConflictError(
          `consumer group "${groupId}" was still ${state} with ${members} member(s) ${seconds} s after ${owner.workloadId} was suspended: something besides that app consumes in it`,
        );
      }
      await new Promise(resolve =>
        setTimeout(resolve, this.#settings.pollIntervalMs),
      );
    }
  }

  async #restore(
    req: Request<any, any, any, any>,
    owner: GroupOwnerApp,
    instances: number,
    why: string,
  ): Promise<CoordinatedResetStep> {
    if (instances === 0)
      return {
        step: 'restore',
        result: 'skipped',
        reason: 'the app had 0 instances',
      };
    try {
      return stepOf(
        'restore',
        await this.#apps.scale(req, {
          configPath: owner.configPath,
          instance: owner.instance,
          instances,
          reason: why,
        }),
      );
    } catch (error) {
      return {
        step: 'restore',
        result: 'failed',
        reason: (error as Error).message,
      };
    }
  }
}

function stepOf(
  step: CoordinatedResetStep['step'],
  result: ArchonAppOperationResult,
): CoordinatedResetStep {
  return {
    step,
    result: result.result,
    deployId: result.id,
    ...(result.reason ? { reason: result.reason } : {}),
  };
}

function restoreSentence(
  owner: GroupOwnerApp,
  instances: number,
  restore: CoordinatedResetStep,
): string {
  if (restore.result === 'skipped')
    return `${owner.workloadId} on ${owner.instance} was left at 0 instances, as it was.`;
  if (restore.result === 'succeeded') {
    return `${owner.workloadId} on ${owner.instance} was scaled back to ${instances} instance(s) (deployment ${restore.deployId}).`;
  }
  return `Scaling ${owner.workloadId} on ${
    owner.instance
  } back to ${instances} instance(s) ${restore.result}${
    restore.reason ? ` (${restore.reason})` : ''
  }${
    restore.deployId ? ` (deployment ${restore.deployId})` : ''
  }: scale it with POST /api/archon/apps/scale {"configPath": "${
    owner.configPath
  }", "instance": "${owner.instance}", "instances": ${instances}}.`;
}
