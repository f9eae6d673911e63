import type { Request } from 'express';
import type { ArchonWorkloadStatus } from './deploy';

/** A deployed app that declares a consumer group, as the graph knows it. */
export interface ArchonGroupOwner {
  /** The deploy target (orchestrator instance), e.g. `local`. */
  instance: string;
  /** The orchestrator's id, e.g. the Marathon app id. */
  workloadId: string;
  /** The configuration path archon deployed it from; absent when archon did not deploy it. */
  configPath?: string;
  /** Where the declaration comes from, e.g. `env KAFKA_GROUP_ID (deployed from /shop/cart)`. */
  declaredBy: string[];
}

/** How a deploy-flow operation started on behalf of a module ended. */
export interface ArchonAppOperationResult {
  /** The deploy flow's id (`GET /api/archon/deployments/{id}`). */
  id: string;
  result: 'succeeded' | 'failed' | 'timeout';
  reason?: string;
}

/**
 * The deploy flow's app operations, for modules that must stop and start an
 * app around a change of their own (the Kafka module's coordinated offset
 * reset). archon-backend implements it on its deploy flow: an operation takes
 * the flow's per-app lock, is refused like `POST /api/archon/apps/...` (404,
 * 409 while a deploy or another operation runs on the app, 503/504) and
 * writes its own audit entry. Permissions are the caller's to check first
 * (`archon.app.scale` on the configuration path). Usable once the backend
 * has started (in request handlers), not during module init.
 */
export interface ArchonAppOperations {
  /**
   * Apps whose deployed environment declares the consumer group (the
   * graph's `belongs-to` edges: a `…group.id` key, by the orchestrator
   * module's convention), re-reading the graph when it knows none.
   */
  groupOwners(
    kafkaCluster: string,
    groupId: string,
  ): Promise<ArchonGroupOwner[]>;
  status(options: {
    configPath: string;
    instance: string;
  }): Promise<ArchonWorkloadStatus>;
  /** Scales the app to 0 and follows the change to its outcome. */
  suspend(
    req: Request<any, any, any, any>,
    options: {
      configPath: string;
      instance: string;
      timeoutMs?: number;
      reason: string;
    },
  ): Promise<ArchonAppOperationResult>;
  /** Scales the app to `instances` and follows the change to its outcome. */
  scale(
    req: Request<any, any, any, any>,
    options: {
      configPath: string;
      instance: string;
      instances: number;
      timeoutMs?: number;
      reason: string;
    },
  ): Promise<ArchonAppOperationResult>;
}
