import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DeploymentInProgressError,
  type ArchonChangeHandle,
  type ArchonWorkloadRef,
} from '@archon/plugin-archon-node';
import { parseConfigPath } from '../config/core';
import { DeployFlow, type DeployFlowKind } from './DeployFlow';
import { DeployReleases } from './DeployReleases';

export type { DeployPlan } from './DeployReleases';

/**
 * The orchestrator-neutral deploy flow: resolve the effective configuration,
 * render it through the target's adapter, record an immutable release, ship
 * it, follow it to success, failure or timeout and record that on the
 * release. Also rollback (re-ship a release's snapshot) and the operations on
 * deployed apps (scale, restart, suspend, destroy).
 *
 * One change per workload at a time, across every backend replica sharing
 * the database: a second one is refused with 409 naming the one in progress
 * (archon's id and the orchestrator's), whichever replica runs it. The lock
 * is a database row with a lease this replica renews while its flow runs
 * ({@link DeployLockStore}); the flow's state and progress are copied to the
 * database ({@link FlowRecorder}) so any replica can show and stream it. No
 * HTTP here; permissions and masking are the router's.
 */
export class DeployService extends DeployReleases {
  // ---------------------------------------------------------------- operations

  /**
   * Scale, restart, suspend (0 instances) or destroy the app a configuration
   * path deployed. Destroy needs `confirm` equal to the path or the workload id.
   */
  async operate(options: {
    kind: Extract<DeployFlowKind, 'scale' | 'restart' | 'suspend' | 'destroy'>;
    configPath: string;
    instance: string;
    instances?: number;
    confirm?: string;
    actor: string;
    force?: boolean;
    timeoutMs?: number;
  }): Promise<DeployFlow> {
    parseConfigPath(options.configPath);
    const { adapter } = this.target(options.instance);
    const workloadId = adapter.workloadId(options.instance, options.configPath);
    if (
      options.kind === 'scale' &&
      (!Number.isInteger(options.instances) || options.instances! < 0)
    ) {
      throw new InputError('"instances" must be a whole number of at least 0');
    }
    if (
      options.kind === 'destroy' &&
      options.confirm !== options.configPath &&
      options.confirm !== workloadId
    ) {
      throw new InputError(
        `Destroying ${workloadId} on ${options.instance} stops all its tasks and drops its version history: confirm with "confirm": "${options.configPath}"`,
      );
    }
    const flow = await this.lock(
      options.kind,
      adapter,
      options.instance,
      workloadId,
      options.configPath,
      options.actor,
    );
    try {
      const status = await adapter.status({
        instance: options.instance,
        id: workloadId,
      });
      if (!status.exists) {
        throw new NotFoundError(
          `There is no app ${workloadId} on ${options.instance}: ${options.configPath} was never deployed there, or was destroyed`,
        );
      }
      if (status.configPath && status.configPath !== options.configPath) {
        throw new ConflictError(
          `${workloadId} on ${options.instance} runs the configuration of ${status.configPath}, not ${options.configPath}`,
        );
      }
      if (status.deployments.length > 0 && !options.force) {
        throw new DeploymentInProgressError(
          `${workloadId} on ${options.instance} is locked by ${
            adapter.kind
          } deployment ${status.deployments.join(
            ', ',
          )}; wait for it to finish, or retry with "force": true to cancel it`,
          status.deployments.map(id => ({ id, source: adapter.kind })),
        );
      }
      const wanted = options.kind === 'suspend' ? 0 : options.instances;
      if (
        (options.kind === 'scale' || options.kind === 'suspend') &&
        status.instances === wanted &&
        status.deployments.length === 0
      ) {
        // Marathon would start a deployment that changes nothing; say so instead.
        flow.instances = wanted;
        await this.locks.unlock(flow);
        flow.finish({
          result: 'succeeded',
          reason: `${workloadId} on ${options.instance} already wants ${wanted} instance(s): nothing to change, no deployment started`,
          details: { unchanged: true },
        });
        return flow;
      }
      const ref: ArchonWorkloadRef = {
        instance: options.instance,
        id: workloadId,
      };
      const change = this.changeOptions(flow, options);
      let handle: ArchonChangeHandle;
      switch (options.kind) {
        case 'scale':
          flow.instances = options.instances;
          handle = await adapter.scale(ref, options.instances!, change);
          break;
        case 'suspend':
          flow.instances = 0;
          handle = await adapter.scale(ref, 0, change);
          break;
        case 'restart':
          handle = await adapter.restart(ref, change);
          break;
        default:
          handle = await adapter.destroy(ref, change);
      }
      await this.follow(flow, handle);
      return flow;
    } catch (error) {
      await this.discard(flow);
      throw error;
    }
  }
}
