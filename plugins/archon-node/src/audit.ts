import type { Request } from 'express';

/**
 * What a mutation changed. `system` is where (`config`, `zookeeper`,
 * `deploy`, `kafka`, `connect`, `marathon`, ...), `cluster` which one of
 * that system's clusters (ensemble, Kafka/Connect cluster, orchestrator
 * instance), `resource` the thing itself (configuration path, znode path,
 * topic, consumer group, connector, app id).
 */
export interface ArchonAuditTarget {
  system: string;
  cluster?: string;
  resource: string;
  /** The configuration path the change belongs to, when there is one (apps, deploys). */
  configPath?: string;
}

/** A before/after summary of a change: small JSON, secrets masked by the recorder. */
export type ArchonAuditSummary = Record<string, unknown>;

/** One audited mutation, as the route describes it before running it. */
export interface ArchonAuditEvent {
  /** The operation, e.g. `config-set-put`, `topic-delete`. */
  action: string;
  target: ArchonAuditTarget;
  severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  /** Extra facts for Backstage's auditor (masked like the summaries). */
  meta?: Record<string, unknown>;
  /** The state before, when the route knows it without extra work. */
  before?: ArchonAuditSummary;
}

/**
 * The one way archon's routes (archon-backend's and the modules') record a
 * mutation: each becomes an event of Backstage's auditor service and a row
 * of archon's persistent audit log (`GET /api/archon/audit`), with the
 * actor, the outcome and masked before/after summaries. Modules get it in
 * their router factory ({@link ArchonModuleRouterContext.auditor}).
 */
export interface ArchonAuditor {
  /**
   * Runs `mutation` as one audit event: it succeeds with the mutation's
   * result (summarised by `options.summary`), or fails with its error, which
   * is rethrown unchanged. Call it after authorizing.
   */
  run<T>(
    req: Request<any, any, any, any>,
    event: ArchonAuditEvent,
    mutation: () => Promise<T>,
    options?: {
      /** The states before and after, from the result (e.g. a write that reports both). */
      summary?: (result: T) => {
        before?: ArchonAuditSummary;
        after?: ArchonAuditSummary;
      };
      /** Extra meta for the success event (e.g. ids the change got). */
      successMeta?: (result: T) => Record<string, unknown> | undefined;
    },
  ): Promise<T>;
}
