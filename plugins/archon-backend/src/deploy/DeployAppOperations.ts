import type { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  actorOf,
  archonGraphNodeId,
  type ArchonAppOperationResult,
  type ArchonAppOperations,
  type ArchonAuditor,
  type ArchonGroupOwner,
  type ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import type { Request } from 'express';
import type { GraphService } from '../graph';
import { auditAppChange } from './auditAppChange';
import type { DeployFlow } from './DeployFlow';
import { recordedOrUnreachable } from './progressStream';
import type { DeployService } from './DeployService';

interface Deps {
  deploy: DeployService;
  graph: GraphService;
  audit: ArchonAuditor;
  httpAuth: HttpAuthService;
}

/**
 * {@link ArchonAppOperations} on archon's deploy flow, made once the
 * backend's services exist and handed to the modules' router factories.
 * Suspend and scale go through {@link DeployService.operate} (its lock and
 * refusals) and are audited exactly like `POST /apps/suspend` and
 * `/apps/scale`; the owners of a group come from the graph, where the
 * orchestrator module declares them (`belongs-to` edges).
 */
export class DeployAppOperations implements ArchonAppOperations {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async groupOwners(
    kafkaCluster: string,
    groupId: string,
  ): Promise<ArchonGroupOwner[]> {
    const { graph } = this.#deps;
    const read = () => {
      const owners: ArchonGroupOwner[] = [];
      for (const edge of graph.index.outEdges(
        archonGraphNodeId.group(kafkaCluster, groupId),
      )) {
        if (edge.kind !== 'belongs-to' || edge.byPart.size === 0) continue;
        const app = graph.index.node(edge.to);
        if (!app || app.kind !== 'app' || !app.cluster) continue;
        const configPath = app.attributes?.configPath;
        owners.push({
          instance: app.cluster,
          workloadId: app.name,
          ...(typeof configPath === 'string' ? { configPath } : {}),
          declaredBy: graph.index.edgeView(edge).evidence?.declared ?? [],
        });
      }
      return owners.sort((a, b) =>
        `${a.instance}${a.workloadId}`.localeCompare(
          `${b.instance}${b.workloadId}`,
        ),
      );
    };
    const known = read();
    if (known.length > 0) return known;
    // An app deployed since the last refresh: take the graph again before saying "none".
    await graph.refresh();
    return read();
  }

  status(options: {
    configPath: string;
    instance: string;
  }): Promise<ArchonWorkloadStatus> {
    return this.#deps.deploy.status(options);
  }

  suspend(
    req: Request<any, any, any, any>,
    options: {
      configPath: string;
      instance: string;
      timeoutMs?: number;
      reason: string;
    },
  ): Promise<ArchonAppOperationResult> {
    return this.#operate(req, 'suspend', { ...options, instances: 0 });
  }

  scale(
    req: Request<any, any, any, any>,
    options: {
      configPath: string;
      instance: string;
      instances: number;
      timeoutMs?: number;
      reason: string;
    },
  ): Promise<ArchonAppOperationResult> {
    return this.#operate(req, 'scale', options);
  }

  async #operate(
    req: Request<any, any, any, any>,
    kind: 'suspend' | 'scale',
    options: {
      configPath: string;
      instance: string;
      instances: number;
      timeoutMs?: number;
      reason: string;
    },
  ): Promise<ArchonAppOperationResult> {
    const { deploy, audit, httpAuth } = this.#deps;
    const credentials = await httpAuth.credentials(req);
    const flow: DeployFlow = await auditAppChange(
      audit,
      req,
      `app-${kind}`,
      'medium',
      {
        configPath: options.configPath,
        instance: options.instance,
        instances: options.instances,
        force: false,
        reason: options.reason,
      },
      () =>
        deploy.operate({
          kind,
          configPath: options.configPath,
          instance: options.instance,
          instances: kind === 'scale' ? options.instances : undefined,
          actor: actorOf(credentials),
          timeoutMs: options.timeoutMs,
        }),
    );
    // Answered within the orchestrator's deadline when it stops answering (503, outcome unknown).
    await recordedOrUnreachable(flow);
    return {
      id: flow.id,
      result: flow.outcome?.result ?? 'failed',
      ...(flow.outcome?.reason ? { reason: flow.outcome.reason } : {}),
    };
  }
}
