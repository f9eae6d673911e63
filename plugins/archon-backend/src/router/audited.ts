import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/** Runs a write as one audit event: it succeeds with the write, or fails with its error. */
export type AuditedWrite = <T>(
  req: Request<any, any, any, any>,
  eventId: string,
  meta: JsonObject,
  write: () => Promise<T>,
  options?: {
    /** What to add to the event when the write succeeds. */
    successMeta?: (result: T) => JsonObject;
    severityLevel?: AuditorServiceEventSeverityLevel;
  },
) => Promise<T>;

/** The audit wrapper every mutating route uses (configuration sets, raw znodes, ...). */
export function auditedWrites(auditor: AuditorService): AuditedWrite {
  return async (req, eventId, meta, write, options) => {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: options?.severityLevel ?? 'medium',
      request: req,
      meta,
    });
    try {
      const result = await write();
      await event.success(options?.successMeta ? { meta: options.successMeta(result) } : undefined);
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  };
}
