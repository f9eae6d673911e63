import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  actorOf,
  type ArchonAuditEvent,
  type ArchonAuditor,
  type ArchonAuditSummary,
} from '@archon/plugin-archon-node';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type { AuditStore } from './AuditStore';
import { isSecretKey, SECRET_MASK } from '../config/core';
import { requestIdOf } from './requestId';

/**
 * A copy of any JSON-like value with the values of secret-named keys (at any
 * depth) replaced by the mask; `undefined` members are dropped, as JSON would.
 */
export function maskDeep(value: unknown, patterns: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map(v => maskDeep(v, patterns));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [
          k,
          isSecretKey(k, patterns) && v !== null && v !== ''
            ? SECRET_MASK
            : maskDeep(v, patterns),
        ]),
    );
  }
  return value;
}

interface Deps {
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  store: AuditStore;
  logger: LoggerService;
  secretPatterns: readonly string[];
}

/**
 * archon's {@link ArchonAuditor}: every mutation is an event of Backstage's
 * auditor service and a row of the persistent audit log. Made in the
 * plugin's `init` and handed to the modules' router factories.
 */
export class ArchonAuditLog implements ArchonAuditor {
  readonly #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async run<T>(
    req: Request<any, any, any, any>,
    event: ArchonAuditEvent,
    mutation: () => Promise<T>,
    options?: {
      summary?: (result: T) => {
        before?: ArchonAuditSummary;
        after?: ArchonAuditSummary;
      };
      successMeta?: (result: T) => Record<string, unknown> | undefined;
    },
  ): Promise<T> {
    const deps = this.#deps;
    const mask = <V>(value: V) => maskDeep(value, deps.secretPatterns) as V;
    const target = JSON.parse(JSON.stringify(event.target));
    const started = await deps.auditor.createEvent({
      eventId: event.action,
      severityLevel: event.severityLevel ?? 'medium',
      request: req,
      meta: mask({ target, ...event.meta }) as JsonObject,
    });
    const row = {
      time: new Date().toISOString(),
      actor: await this.#actor(deps, req),
      action: event.action,
      target,
      before: event.before && mask(event.before),
      meta: event.meta && mask(event.meta),
      requestId: requestIdOf(req),
    };
    let result: T;
    try {
      result = await mutation();
    } catch (error) {
      await started.fail({ error: error as Error });
      await this.#persist(deps, {
        ...row,
        outcome: 'failure',
        error: String((error as Error)?.message ?? error),
      });
      throw error;
    }
    const successMeta = options?.successMeta?.(result);
    await started.success(
      successMeta ? { meta: mask(successMeta) as JsonObject } : undefined,
    );
    const summary = options?.summary?.(result);
    await this.#persist(deps, {
      ...row,
      outcome: 'success',
      before: summary?.before ? mask(summary.before) : row.before,
      after: summary?.after && mask(summary.after),
      meta:
        row.meta || successMeta
          ? mask({ ...row.meta, ...successMeta })
          : undefined,
    });
    return result;
  }

  async #actor(deps: Deps, req: Request<any, any, any, any>): Promise<string> {
    try {
      return actorOf(await deps.httpAuth.credentials(req));
    } catch {
      // No valid credentials: the route will refuse; the attempt is still recorded.
      return 'anonymous';
    }
  }

  /**
   * The mutation has happened (or failed) whatever the log says: a log that
   * cannot be written is reported loudly but does not turn the answer into an error.
   */
  async #persist(deps: Deps, entry: Parameters<AuditStore['add']>[0]) {
    try {
      await deps.store.add(entry);
    } catch (error) {
      deps.logger.error(
        `archon: could not write the audit log entry for ${entry.action} on ${entry.target.resource}: ${error}`,
      );
    }
  }
}
