import {
  archonZooKeeperEnsembleWritePermission,
  archonZooKeeperReadPermission,
  archonZooKeeperWritePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import {
  actorOf,
  encodeCursor,
  parsePageQuery,
  type ArchonAuditor,
  type ArchonAuthorizer,
  boolQuery,
} from '@archon/plugin-archon-node';
import type { createOpenApiRouter } from '../schema/openapi';
import type { ConfigService } from '../config/ConfigService';
import {
  ZooKeeperExplorer,
  type ZnodeExport,
  type ZooKeeperExplorerLimits,
} from './explorer';
import { ConfigZnodeGuard, type ConfigTreeLocation } from './configZnodeGuard';
import { ZnodeSecretMasking } from './znodeSecrets';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/** `a/b` or `/a/b` (decoded from the URL) → `/a/b`; the explorer validates it. */
function znodePathOf(param: string): string {
  return param.startsWith('/') ? param : `/${param}`;
}

const numberOf = (value: unknown) =>
  value === undefined ? undefined : Number(value);

/**
 * The raw ZooKeeper explorer: HTTP only. Reads need `archon.zookeeper.read`
 * (configuration levels come back with secrets masked unless the caller may
 * reveal them), writes `archon.zookeeper.write` and, on the ensemble,
 * `archon.zookeeper.ensemble.write`, and are audited. Uses the ensembles'
 * sessions owned by {@link ConfigService} (one per ensemble).
 */
export function addZooKeeperRoutes(
  router: ApiRouter,
  options: {
    config: ConfigService;
    authorizer: ArchonAuthorizer;
    audit: ArchonAuditor;
    /** Which keys of a configuration level are secret (masked in raw reads for who may not reveal them). */
    secretPatterns: readonly string[];
    explorerLimits?: Partial<ZooKeeperExplorerLimits>;
  },
) {
  const { config, authorizer } = options;
  const guard = new ConfigZnodeGuard(config);
  const secrets = new ZnodeSecretMasking({
    config,
    guard,
    authorizer,
    secretPatterns: options.secretPatterns,
  });

  /**
   * A raw write under the configuration root: refused unless `raw=true`;
   * otherwise run, then recorded in the configuration history as a raw write
   * of the level it changed.
   */
  const guarded = async <T>(
    req: { query: Record<string, unknown> },
    target: { ensemble: string; path: string; actor: string; what: string },
    write: (location: ConfigTreeLocation | undefined) => Promise<T>,
  ): Promise<T> => {
    const location = guard.check(
      target.ensemble,
      target.path,
      boolQuery(req.query.raw) ?? false,
      target.what,
    );
    if (!location) return write(undefined);
    const before = await guard.setAt(target.ensemble, target.path);
    const result = await write(location);
    const after = await guard.setAt(target.ensemble, target.path);
    await guard.record({
      ensemble: target.ensemble,
      location,
      actor: target.actor,
      before,
      after,
    });
    return result;
  };
  /**
   * Audits a raw write as one event on the znode; a znode under the
   * configuration root also names its configuration path, so the app
   * timelines show raw edits too. Znode data never goes into the log.
   */
  const audited = <T>(
    req: Parameters<ArchonAuditor['run']>[0],
    action: string,
    meta: { ensemble: string; path: string } & Record<string, unknown>,
    write: () => Promise<T>,
    extra?: {
      successMeta?: (result: T) => Record<string, unknown>;
      severityLevel?: 'medium' | 'high';
    },
  ) => {
    const root = config.ensemble(meta.ensemble).config.root.replace(/\/+$/, '');
    let configPath: string | undefined;
    if (meta.path === root) configPath = '/';
    else if (meta.path.startsWith(`${root}/`))
      configPath = meta.path.slice(root.length);
    return options.audit.run(
      req,
      {
        action,
        severityLevel: extra?.severityLevel,
        target: {
          system: 'zookeeper',
          cluster: meta.ensemble,
          resource: meta.path,
          ...(configPath ? { configPath } : {}),
        },
        meta,
      },
      async () => {
        // The ensemble's permission too (#20), before anything is written.
        await authorizer.authorize(
          req,
          archonZooKeeperEnsembleWritePermission,
          clusterResourceRef('zookeeper', meta.ensemble),
        );
        return write();
      },
      { successMeta: extra?.successMeta },
    );
  };
  const explorers = new Map<string, ZooKeeperExplorer>();

  /** The explorer of an ensemble (400 naming the configured ones when unknown). */
  const explorerOf = (name: string) => {
    const ensemble = config.ensemble(name);
    let explorer = explorers.get(ensemble.config.name);
    if (!explorer) {
      explorer = new ZooKeeperExplorer({
        session: ensemble.session,
        ensemble: ensemble.config.name,
        configRoot: ensemble.config.root,
        limits: options.explorerLimits,
      });
      explorers.set(ensemble.config.name, explorer);
    }
    return explorer;
  };

  router.get('/zookeeper/:ensemble/znodes/:znodePath', async (req, res) => {
    await authorizer.authorize(req, archonZooKeeperReadPermission);
    const view = await explorerOf(req.params.ensemble).read(
      znodePathOf(req.params.znodePath),
    );
    res.json(await secrets.read(req, req.params.ensemble, view));
  });

  router.get('/zookeeper/:ensemble/children/:znodePath', async (req, res) => {
    await authorizer.authorize(req, archonZooKeeperReadPermission);
    const query = parsePageQuery(req.query, {
      defaultLimit: 100,
      sortFields: ['name'],
      what: 'children',
    });
    // The explorer pages by the last child name; the API's cursor is the opaque form of it.
    const { nextCursor, ...page } = await explorerOf(req.params.ensemble).list(
      znodePathOf(req.params.znodePath),
      {
        cursor: query.after?.id,
        limit: query.limit,
      },
    );
    res.json({
      ...page,
      ...(nextCursor !== undefined && {
        nextCursor: encodeCursor({ value: null, id: nextCursor }),
      }),
    });
  });

  router.get('/zookeeper/:ensemble/acl/:znodePath', async (req, res) => {
    await authorizer.authorize(req, archonZooKeeperReadPermission);
    res.json(
      await explorerOf(req.params.ensemble).acl(
        znodePathOf(req.params.znodePath),
      ),
    );
  });

  router.get('/zookeeper/:ensemble/export/:znodePath', async (req, res) => {
    await authorizer.authorize(req, archonZooKeeperReadPermission);
    const path = znodePathOf(req.params.znodePath);
    const doc = await explorerOf(req.params.ensemble).export(path, {
      maxNodes: numberOf(req.query.maxNodes),
      includeStat: boolQuery(req.query.includeStat) ?? false,
    });
    res.json(await secrets.export(req, req.params.ensemble, path, doc));
  });

  router.get('/zookeeper/:ensemble/search', async (req, res) => {
    await authorizer.authorize(req, archonZooKeeperReadPermission);
    res.json(
      await explorerOf(req.params.ensemble).search(
        req.query.prefix ?? '/',
        req.query.query,
        {
          maxVisited: numberOf(req.query.maxVisited),
          maxResults: numberOf(req.query.maxResults),
          caseSensitive: boolQuery(req.query.caseSensitive) ?? false,
        },
      ),
    );
  });

  router.post('/zookeeper/:ensemble/znodes/:znodePath', async (req, res) => {
    const credentials = await authorizer.authorize(
      req,
      archonZooKeeperWritePermission,
    );
    const path = znodePathOf(req.params.znodePath);
    const explorer = explorerOf(req.params.ensemble);
    const mode = req.body.mode ?? 'persistent';
    const target = {
      ensemble: req.params.ensemble,
      path,
      actor: actorOf(credentials),
      what: 'create',
    };
    const result = await guarded(req, target, location =>
      audited(
        req,
        'zookeeper-znode-create',
        {
          ensemble: req.params.ensemble,
          path,
          mode,
          createParents: !!req.body.createParents,
          ...(location && { raw: true }),
        },
        () =>
          explorer.create(path, {
            data: req.body.data,
            mode,
            createParents: req.body.createParents,
          }),
        {
          successMeta: r => ({
            created: r.path,
            createdParents: r.createdParents,
          }),
        },
      ),
    );
    res.status(201).json(result);
  });

  router.put('/zookeeper/:ensemble/znodes/:znodePath', async (req, res) => {
    const credentials = await authorizer.authorize(
      req,
      archonZooKeeperWritePermission,
    );
    const path = znodePathOf(req.params.znodePath);
    const explorer = explorerOf(req.params.ensemble);
    const target = {
      ensemble: req.params.ensemble,
      path,
      actor: actorOf(credentials),
      what: 'write',
    };
    const result = await guarded(req, target, location =>
      audited(
        req,
        'zookeeper-znode-set',
        {
          ensemble: req.params.ensemble,
          path,
          expectedVersion: req.body.expectedVersion ?? null,
          ...(location && { raw: true }),
        },
        () =>
          explorer.setData(path, {
            data: req.body.data,
            expectedVersion: req.body.expectedVersion,
          }),
        { successMeta: r => ({ version: r.stat?.version ?? null }) },
      ),
    );
    res.json(result);
  });

  router.delete('/zookeeper/:ensemble/znodes/:znodePath', async (req, res) => {
    const credentials = await authorizer.authorize(
      req,
      archonZooKeeperWritePermission,
    );
    const path = znodePathOf(req.params.znodePath);
    const explorer = explorerOf(req.params.ensemble);
    const recursive = boolQuery(req.query.recursive) ?? false;
    const expectedVersion = numberOf(req.query.expectedVersion);
    const expectedCount = numberOf(req.query.expectedCount);
    const target = {
      ensemble: req.params.ensemble,
      path,
      actor: actorOf(credentials),
      what: 'delete',
    };
    const result = await guarded(req, target, location =>
      audited(
        req,
        'zookeeper-znode-delete',
        {
          ensemble: req.params.ensemble,
          path,
          recursive,
          expectedVersion: expectedVersion ?? null,
          expectedCount: expectedCount ?? null,
          ...(location && { raw: true }),
        },
        () =>
          explorer.delete(path, { expectedVersion, recursive, expectedCount }),
        {
          successMeta: r => ({
            deleted: r.deleted,
            transactions: r.transactions,
          }),
          severityLevel: recursive ? 'high' : 'medium',
        },
      ),
    );
    res.json(result);
  });

  router.post('/zookeeper/:ensemble/import/:znodePath', async (req, res) => {
    const dryRun = req.body.dryRun ?? true;
    await authorizer.authorize(
      req,
      dryRun ? archonZooKeeperReadPermission : archonZooKeeperWritePermission,
    );
    secrets.refuseMaskedImport(req.body.snapshot);
    const path = znodePathOf(req.params.znodePath);
    const explorer = explorerOf(req.params.ensemble);
    const run = () =>
      explorer.import(path, {
        snapshot: req.body.snapshot as ZnodeExport,
        mode: req.body.mode,
        dryRun,
        expectedPlanHash: req.body.expectedPlanHash,
      });
    if (dryRun) {
      res.json(await run());
      return;
    }
    const credentials = await authorizer.authorize(
      req,
      archonZooKeeperWritePermission,
    );
    const target = {
      ensemble: req.params.ensemble,
      path,
      actor: actorOf(credentials),
      what: 'import',
    };
    const result = await guarded(req, target, location =>
      audited(
        req,
        'zookeeper-import',
        {
          ensemble: req.params.ensemble,
          path,
          mode: req.body.mode ?? 'merge',
          expectedPlanHash: req.body.expectedPlanHash ?? null,
          ...(location && { raw: true }),
        },
        run,
        {
          successMeta: r => ({
            creates: r.creates.length,
            updates: r.updates.length,
            deletes: r.deletes.length,
            planHash: r.planHash,
          }),
          severityLevel: 'high',
        },
      ),
    );
    res.json(result);
  });
}
