import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { Router } from 'express';
import type { ArchonAppOperations } from './apps';
import type { ArchonAuditor } from './audit';
import type { ArchonDeployAdapter } from './deploy';
import type { ArchonGraphContributor } from './graph';
import type { ArchonAuthorizer } from './ArchonAuthorizer';

/**
 * One probe of one configured system (a Kafka cluster, a Connect cluster, ...).
 * archon-backend runs every registered probe for `GET /api/archon/health`, each
 * with its own time limit, so one slow system never holds up the others.
 */
export interface ArchonHealthProbe {
  kind: string;
  name: string;
  /** Where the probe connects, for the report (no secrets). */
  endpoint?: string;
  /**
   * Returns the version and facts when the system answers; throws with a
   * one-line message when it does not.
   */
  probe(options: { signal: AbortSignal }): Promise<{
    version?: string;
    details?: Record<string, unknown>;
  }>;
}

/**
 * What archon's core hands a module's router factory. The core calls the
 * factory once its own services exist, so everything here works from the
 * first request on (nothing a module holds is bound later).
 */
export interface ArchonModuleRouterContext {
  /** Where module routes record their mutations (Backstage's auditor plus archon's audit log). */
  auditor: ArchonAuditor;
  /**
   * The deploy flow's operations on deployed apps (suspend, scale, status,
   * which app owns a consumer group), for routes that coordinate a change
   * with the app.
   */
  apps: ArchonAppOperations;
  /** archon's one permission check (403 naming the permission). */
  authorizer: ArchonAuthorizer;
}

/** Routes a technology module serves under `/api/archon/<system>/...`. */
export interface ArchonModuleRouter {
  /** The first path segment, e.g. `kafka` or `connect`. */
  system: string;
  /** Builds the module's router; called by the core during its own init, after its services exist. */
  createRouter(context: ArchonModuleRouterContext): Router | Promise<Router>;
  /**
   * Optional: rewrites a request path below `/<system>` (e.g. `/local/apps/a/b/tasks`)
   * before OpenAPI validation, for ids that span URL segments (Marathon app
   * ids): return the path with such an id percent-encoded as one segment, or
   * undefined to leave it.
   */
  rewritePath?(path: string): string | undefined;
}

/**
 * The extension point through which technology modules (archon-kafka,
 * archon-marathon, ...) contribute to the archon backend plugin.
 */
export interface ArchonModulesExtensionPoint {
  addHealthProbes(...probes: ArchonHealthProbe[]): void;
  addRouter(router: ArchonModuleRouter): void;
  /**
   * An orchestrator to deploy configuration paths to (`POST /api/archon/deployments`).
   * Target (instance) names must be unique across adapters.
   */
  addDeployAdapter(adapter: ArchonDeployAdapter): void;
  /** A part of the cross-system graph (`/api/archon/graph`); ids must be unique. */
  addGraphContributor(contributor: ArchonGraphContributor): void;
}

export const archonModulesExtensionPoint =
  createExtensionPoint<ArchonModulesExtensionPoint>({
    id: 'archon.modules',
  });
