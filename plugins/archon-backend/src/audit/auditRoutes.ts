import {
  archonAuditReadPermission,
  archonConfigReadPermission,
} from '@archon/plugin-archon-common';
import {
  invalidCursor,
  pageOfRows,
  parsePageQuery,
  type ArchonAuthorizer,
} from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import type { Request, Response } from 'express';
import type { AuditEntry, AuditQuery, AuditStore } from './AuditStore';
import type { createOpenApiRouter } from '../schema/openapi';
import type { ConfigService } from '../config/ConfigService';
import { withOwnDatabaseScope } from '../database/DatabaseDeadline';
import {
  buildTimeline,
  timelineCursorOf,
  TIMELINE_ITEMS,
  TIMELINE_MAX_TOPIC_NAMES,
} from './timeline';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;
type AnyRequest = Request<any, any, any, any>;

/** Page size of the JSON-lines export, which pages internally; `GET /audit` pages up to MAX_PAGE_LIMIT like every list. */
export const AUDIT_MAX_LIMIT = 500;
const AUDIT_DEFAULT_LIMIT = 100;

function timeOf(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) {
    throw new InputError(
      `"${name}" must be an ISO date-time such as 2026-11-25T10:00:00Z, not "${value}"`,
    );
  }
  return date;
}

/** The audit log's page: newest first, the cursor holding the last entry's id (a bigint, as digits). */
function auditPageOf(query: Record<string, unknown>): {
  limit: number;
  before?: string;
} {
  const page = parsePageQuery(query, {
    defaultLimit: AUDIT_DEFAULT_LIMIT,
    sortFields: ['id'],
    what: 'audit entries',
  });
  if (page.after && !/^[0-9]{1,18}$/.test(page.after.id))
    throw invalidCursor('audit entries');
  return { limit: page.limit, before: page.after?.id };
}

/** JSON lines when asked for by `format=jsonl` or `Accept: application/x-ndjson`. */
function wantsJsonLines(req: AnyRequest): boolean {
  return (
    req.query.format === 'jsonl' ||
    (req.headers.accept ?? '').includes('application/x-ndjson')
  );
}

/**
 * `GET /audit` (the audit log, filtered and paged, or exported as JSON
 * lines) and `GET /audit/timeline` (one app's changes across systems). Both
 * need `archon.audit.read`; the timeline also `archon.config.read` on the
 * path. Entries are stored masked, so nothing here can reveal a secret.
 */
export function addAuditRoutes(
  router: ApiRouter,
  options: {
    auditStore: AuditStore;
    config: ConfigService;
    authorizer: ArchonAuthorizer;
    secretPatterns: readonly string[];
  },
) {
  const { auditStore, config, authorizer, secretPatterns } = options;

  router.get('/audit', async (req, res) => {
    await authorizer.authorize(req, archonAuditReadPermission);
    const q = req.query;
    const query: AuditQuery = {
      actor: q.actor || undefined,
      action: q.action || undefined,
      system: q.system || undefined,
      cluster: q.cluster || undefined,
      targetPrefix: q.target || undefined,
      outcome: q.outcome || undefined,
      since: timeOf(q.since, 'since'),
      until: timeOf(q.until, 'until'),
      ...auditPageOf(q),
    };
    if (wantsJsonLines(req as AnyRequest)) {
      await exportJsonLines(res, auditStore, query);
      return;
    }
    // One more than the page tells whether another page follows.
    const rows = await auditStore.list({ ...query, limit: query.limit + 1 });
    res.json(pageOfRows(rows, query.limit, e => ({ value: null, id: e.id })));
  });

  router.get('/audit/timeline', async (req, res) => {
    const path = req.query.configPath;
    await authorizer.authorize(req, archonAuditReadPermission);
    await authorizer.authorize(req, archonConfigReadPermission, path);
    const timelinePage = parsePageQuery(req.query, {
      defaultLimit: AUDIT_DEFAULT_LIMIT,
      sortFields: ['time'],
      what: TIMELINE_ITEMS,
    });
    res.json(
      await buildTimeline({
        auditStore,
        config,
        secretPatterns,
        configPath: path,
        ensemble: req.query.ensemble,
        until: timeOf(req.query.until, 'until'),
        after: timelinePage.after && timelineCursorOf(timelinePage.after),
        limit: timelinePage.limit,
        maxNames: TIMELINE_MAX_TOPIC_NAMES,
      }),
    );
  });
}

/** Every matching entry, newest first, one JSON object a line; read in pages so memory stays flat. */
async function exportJsonLines(
  res: Response,
  store: AuditStore,
  query: AuditQuery,
) {
  res.status(200);
  res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    'attachment; filename="archon-audit.jsonl"',
  );
  // Each page has a database deadline of its own: the export as a whole may take long.
  const pageBefore = (before: string | undefined): Promise<AuditEntry[]> =>
    withOwnDatabaseScope(() =>
      store.list({ ...query, before, limit: AUDIT_MAX_LIMIT }),
    );
  let before = query.before;
  for (;;) {
    const page = await pageBefore(before);
    if (page.length > 0)
      res.write(`${page.map(entry => JSON.stringify(entry)).join('\n')}\n`);
    if (page.length < AUDIT_MAX_LIMIT || res.destroyed) break;
    before = page[page.length - 1].id;
  }
  res.end();
}
