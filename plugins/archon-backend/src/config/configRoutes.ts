import {
  archonConfigReadPermission,
  archonConfigWritePermission,
  archonSecretsRevealPermission,
} from '@archon/plugin-archon-common';
import {
  actorOf,
  invalidCursor,
  pageOfRows,
  parsePageQuery,
  type ArchonAuditor,
  type ArchonAuthorizer,
  markStale,
} from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request } from 'express';

type AnyRequest = Request<any, any, any, any>;
import {
  ConfigResolutionError,
  isSecretKey,
  maskConfigDiff,
  maskEffectiveConfig,
  maskImpactReport,
  maskProvenance,
  maskResolutionFailure,
  maskSecrets,
  type ConfigProperties,
} from './core';
import type { ConfigService } from './ConfigService';
import { ConfigVersionConflictError } from './store/ConfigVersionConflictError';
import {
  ConfigWriteBreaksError,
  type BrokenPath,
} from './store/breakingWrites';
import type { Release } from '../deploy/store/ReleaseStore';
import type { createOpenApiRouter } from '../schema/openapi';
import { configWriteSummary } from '../audit/audited';
import { releaseCursorOf, releaseKeyOf } from '../deploy/releaseCursor';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/** `foo/bar` (from the URL) → `/foo/bar`; validation happens in the service. */
function configPathOf(param: string): string {
  return param.startsWith('/') ? param : `/${param}`;
}

/**
 * The configuration routes: HTTP only. Every read checks
 * `archon.config.read` on the path, every write `archon.config.write`, and
 * secret values stay masked unless the caller holds
 * `archon.config.secrets.reveal` for the path.
 */
export function addConfigRoutes(
  router: ApiRouter,
  options: {
    config: ConfigService;
    authorizer: ArchonAuthorizer;
    audit: ArchonAuditor;
    secretPatterns: readonly string[];
  },
) {
  const { config, authorizer, audit, secretPatterns } = options;

  /** Authorizes a read and says whether secrets may be shown. */
  async function authorizeRead(req: AnyRequest, path: string) {
    const credentials = await authorizer.authorize(
      req,
      archonConfigReadPermission,
      path,
    );
    return authorizer.isAllowed(
      credentials,
      archonSecretsRevealPermission,
      path,
    );
  }

  /** Runs a read, masking the 422 body of a failed resolution unless secrets may be shown. */
  async function resolving<T>(
    reveal: boolean,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!reveal && ConfigResolutionError.is(error)) {
        throw new ConfigResolutionError(
          maskResolutionFailure(error.details, secretPatterns),
        );
      }
      throw error;
    }
  }

  const mask = (properties: ConfigProperties, reveal: boolean) =>
    reveal ? properties : maskSecrets(properties, secretPatterns);

  const maskRelease = (release: Release, reveal: boolean) =>
    reveal
      ? { ...release, masked: false }
      : {
          ...release,
          properties: maskSecrets(release.properties, secretPatterns),
          provenance: maskProvenance(release.provenance, secretPatterns),
          masked: true,
        };

  /**
   * Audits a write, recording the changed keys before and after; the event
   * fails with the error when the write does. A 409 carries the current set
   * so the caller can merge: its secrets stay masked unless the writer may
   * reveal them.
   */
  const audited = <
    T extends Parameters<typeof configWriteSummary>[0] & {
      unchanged?: boolean;
      forcedBrokenPaths?: BrokenPath[];
    },
  >(
    req: AnyRequest,
    action: string,
    meta: { path: string; ensemble?: string; force?: boolean },
    credentials: BackstageCredentials,
    write: () => Promise<T>,
  ) =>
    audit.run(
      req,
      {
        action,
        target: {
          system: 'config',
          cluster: config.ensemble(meta.ensemble).config.name,
          resource: meta.path,
          configPath: meta.path,
        },
        meta,
      },
      async () => {
        try {
          return await write();
        } catch (error) {
          if (
            ConfigWriteBreaksError.is(error) &&
            !(await authorizer.isAllowed(
              credentials,
              archonSecretsRevealPermission,
              meta.path,
            ))
          ) {
            throw error.masked(meta.path, secretPatterns);
          }
          if (
            error instanceof ConfigVersionConflictError &&
            error.current.properties &&
            !(await authorizer.isAllowed(
              credentials,
              archonSecretsRevealPermission,
              meta.path,
            ))
          ) {
            throw new ConfigVersionConflictError(error.message, {
              ...error.current,
              properties: maskSecrets(error.current.properties, secretPatterns),
            });
          }
          throw error;
        }
      },
      {
        // A no-op is recorded as `unchanged` (the attempt, not a change); a
        // forced write says so and names what it broke.
        successMeta: result => ({
          changedKeys: result.changedKeys,
          ...(result.unchanged && { unchanged: true }),
          ...(meta.force && {
            forced: true,
            brokenPaths: result.forcedBrokenPaths?.map(b => b.path) ?? [],
          }),
        }),
        summary: configWriteSummary,
      },
    );

  /** The answer of a write: what changed, or that nothing did. */
  const writeAnswer = (
    path: string,
    result: Awaited<ReturnType<ConfigService['putSet']>>,
    force?: boolean,
  ) => ({
    path,
    version: result.after?.version,
    changedKeys: result.changedKeys,
    ...(result.unchanged && { unchanged: true }),
    ...(force && { forced: true, brokenPaths: result.forcedBrokenPaths }),
  });

  router.get('/config/sets/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const reveal = await authorizeRead(req, path);
    const set = await config.getSet(path, req.query.ensemble);
    res.json({
      ...set,
      properties: mask(set.properties, reveal),
      masked: !reveal,
    });
  });

  router.put('/config/sets/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const credentials = await authorizer.authorize(
      req,
      archonConfigWritePermission,
      path,
    );
    const force = req.body.force === true;
    const result = await audited(
      req,
      'config-set-put',
      { path, ensemble: req.query.ensemble, force },
      credentials,
      () =>
        config.putSet(path, req.body.properties, actorOf(credentials), {
          expectedVersion: req.body.expectedVersion,
          ensemble: req.query.ensemble,
          force,
        }),
    );
    res.json(writeAnswer(path, result, force));
  });

  router.patch('/config/sets/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const credentials = await authorizer.authorize(
      req,
      archonConfigWritePermission,
      path,
    );
    if (!req.body.set && !req.body.unset) {
      throw new InputError(
        'A patch needs "set" (keys to write) and/or "unset" (keys to remove)',
      );
    }
    const force = req.body.force === true;
    const result = await audited(
      req,
      'config-set-patch',
      { path, ensemble: req.query.ensemble as string | undefined, force },
      credentials,
      () =>
        config.patchSet(
          path,
          { set: req.body.set, unset: req.body.unset },
          actorOf(credentials),
          {
            expectedVersion: req.body.expectedVersion,
            // express' own patch() is untyped by the generated router.
            ensemble: req.query.ensemble as string | undefined,
            force,
          },
        ),
    );
    res.json(writeAnswer(path, result, force));
  });

  router.delete('/config/sets/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const credentials = await authorizer.authorize(
      req,
      archonConfigWritePermission,
      path,
    );
    const expectedVersion =
      req.query.expectedVersion === undefined
        ? undefined
        : Number(req.query.expectedVersion);
    const flag = (value: unknown) => value === true || value === 'true';
    const [force, prune, recursive] = [
      flag(req.query.force),
      flag(req.query.prune),
      flag(req.query.recursive),
    ];
    if (recursive && !prune) {
      throw new InputError(
        '"recursive" removes the levels below too and only goes with "prune=true"',
      );
    }
    if (prune) {
      if (expectedVersion !== undefined) {
        throw new InputError(
          '"expectedVersion" checks one set and does not go with "prune=true" (which removes the level and its subtree)',
        );
      }
      const pruned = await audit.run(
        req,
        {
          action: 'config-level-prune',
          target: {
            system: 'config',
            cluster: config.ensemble(req.query.ensemble).config.name,
            resource: path,
            configPath: path,
          },
          meta: { path, recursive },
          severityLevel: recursive ? 'high' : 'medium',
        },
        () =>
          config.pruneLevel(path, actorOf(credentials), {
            recursive,
            ensemble: req.query.ensemble,
          }),
        {
          successMeta: result => ({
            removedLevels: result.removedLevels,
            removedSets: result.removedSets,
          }),
        },
      );
      res.json({ ...pruned, changedKeys: [] });
      return;
    }
    const result = await audited(
      req,
      'config-set-delete',
      { path, ensemble: req.query.ensemble, force },
      credentials,
      () =>
        config.deleteSet(path, actorOf(credentials), {
          expectedVersion,
          ensemble: req.query.ensemble,
          force,
        }),
    );
    res.json(writeAnswer(path, result, force));
  });

  router.post('/config/sets/:configPath/restore', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const credentials = await authorizer.authorize(
      req,
      archonConfigWritePermission,
      path,
    );
    const force = req.body.force === true;
    const result = await audited(
      req,
      'config-set-restore',
      { path, ensemble: req.query.ensemble, force },
      credentials,
      () =>
        config.restoreSet(path, req.body.version, actorOf(credentials), {
          expectedVersion: req.body.expectedVersion,
          ensemble: req.query.ensemble,
          force,
        }),
    );
    res.json(writeAnswer(path, result, force));
  });

  router.get('/config/tree', async (req, res) => {
    const prefix = req.query.prefix || '/';
    const reveal = await authorizeRead(req, prefix);
    res.json(
      await config.tree({
        prefix,
        depth: Number(req.query.depth ?? 1),
        ensemble: req.query.ensemble,
        maskFailure: reveal
          ? undefined
          : failure => maskResolutionFailure(failure, secretPatterns),
      }),
    );
  });

  router.get('/config/effective/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const reveal = await authorizeRead(req, path);
    if (req.query.explain === 'partial') {
      const partial = await config.effectivePartial(path, req.query.ensemble);
      // A reason quotes text from the value it is about: hidden for secret keys.
      const errors = reveal
        ? partial.errors
        : partial.errors.map(e =>
            isSecretKey(e.key, secretPatterns)
              ? {
                  key: e.key,
                  reason: 'does not resolve (the reason quotes a secret value)',
                }
              : e,
          );
      res.json(
        markStale(
          res,
          reveal
            ? { ...partial, masked: false }
            : {
                ...maskEffectiveConfig(partial, secretPatterns),
                errors,
                masked: true,
              },
          config.staleness(req.query.ensemble),
        ),
      );
      return;
    }
    const effective = await resolving(reveal, () =>
      config.effective(path, req.query.ensemble),
    );
    res.json(
      markStale(
        res,
        reveal
          ? { ...effective, masked: false }
          : { ...maskEffectiveConfig(effective, secretPatterns), masked: true },
        config.staleness(req.query.ensemble),
      ),
    );
  });

  router.post('/config/preview/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const reveal = await authorizeRead(req, path);
    const body = req.body;
    const forms = [
      body.properties !== undefined,
      body.set !== undefined || body.unset !== undefined,
      body.delete === true,
    ];
    if (forms.filter(Boolean).length !== 1) {
      throw new InputError(
        'Propose exactly one edit: "properties" (the whole new set), "set"/"unset" (a patch), or "delete": true',
      );
    }
    const report = await config.impact(path, body, req.query.ensemble);
    res.json(
      reveal
        ? { ...report, masked: false }
        : {
            ...maskImpactReport(report, secretPatterns),
            basedOnVersion: report.basedOnVersion,
            redeploy: report.redeploy,
            masked: true,
          },
    );
  });

  router.get('/config/history/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const page = parsePageQuery(req.query, {
      defaultLimit: 50,
      sortFields: ['id'],
      what: 'configuration history',
    });
    // Entries are numbered: the cursor holds the last one shown.
    if (page.after && !/^[0-9]{1,18}$/.test(page.after.id)) {
      throw invalidCursor('configuration history');
    }
    const reveal = await authorizeRead(req, path);
    // One more than asked says whether an older page exists.
    const rows = await config.history(path, {
      ensemble: req.query.ensemble,
      limit: page.limit + 1,
      before: page.after?.id,
    });
    const { items, nextCursor } = pageOfRows(rows, page.limit, e => ({
      value: null,
      id: e.id,
    }));
    res.json({
      items: items.map(item => ({
        ...item,
        before: item.before && mask(item.before, reveal),
        after: item.after && mask(item.after, reveal),
      })),
      ...(nextCursor && { nextCursor }),
      masked: !reveal,
    });
  });

  router.get('/config/pending/:configPath', async (req, res) => {
    const path = configPathOf(req.params.configPath);
    const reveal = await authorizeRead(req, path);
    const pending = await resolving(reveal, () =>
      config.pending(path, req.query.ensemble),
    );
    res.json({
      path,
      latestRelease: pending.latestRelease?.id,
      diff: reveal
        ? pending.diff
        : maskConfigDiff(pending.diff, secretPatterns),
      masked: !reveal,
    });
  });

  router.get('/releases', async (req, res) => {
    const path = req.query.path;
    const page = parsePageQuery(req.query, {
      defaultLimit: 50,
      sortFields: ['createdAt'],
      what: 'releases',
    });
    const after = releaseCursorOf(page.after);
    const reveal = await authorizeRead(req, path ?? '/');
    // One more than asked says whether an older page exists.
    const rows = await config.listReleases({
      path,
      ensemble: req.query.ensemble,
      after,
      limit: page.limit + 1,
    });
    const { items, nextCursor } = pageOfRows(rows, page.limit, releaseKeyOf);
    res.json({
      items: items.map(r => maskRelease(r, reveal)),
      ...(nextCursor && { nextCursor }),
    });
  });

  router.get('/releases/:id', async (req, res) => {
    const release = await config.getRelease(req.params.id);
    const reveal = await authorizeRead(req, release.path);
    res.json(maskRelease(release, reveal));
  });

  router.get('/releases/:id/diff', async (req, res) => {
    const release = await config.getRelease(req.params.id);
    const reveal = await authorizeRead(req, release.path);
    const result = await resolving(reveal, () =>
      config.diffRelease(release.id, req.query.against ?? 'current'),
    );
    res.json({
      ...result,
      diff: reveal ? result.diff : maskConfigDiff(result.diff, secretPatterns),
      masked: !reveal,
    });
  });
}
