import {
  invalidCursor,
  pageOfRows,
  parsePageQuery,
  markStale,
} from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import {
  isSecretKey,
  maskConfigDiff,
  maskEffectiveConfig,
  maskImpactReport,
  maskResolutionFailure,
  type EffectiveConfig,
} from './core';
import { releaseCursorOf, releaseKeyOf } from '../deploy/releaseCursor';
import {
  configRouteParts,
  configPathOf,
  type ApiRouter,
  type ConfigRoutesOptions,
} from './configRouteParts';
import { addConfigWriteRoutes } from './configWriteRoutes';

/**
 * The configuration routes: HTTP only. Every read checks
 * `archon.config.read` on the path, every write `archon.config.write`, and
 * secret values stay masked unless the caller holds
 * `archon.config.secrets.reveal` for the path.
 */
export function addConfigRoutes(
  router: ApiRouter,
  options: ConfigRoutesOptions,
) {
  const { config, secretPatterns } = options;
  const { authorizeRead, resolving, mask, maskRelease } =
    configRouteParts(options);
  // Effective configs are shared per tree version (ResolutionCache), so
  // their masked view is computed once per version too.
  const maskedViews = new WeakMap<object, EffectiveConfig>();
  const maskedView = (effective: EffectiveConfig) => {
    let view = maskedViews.get(effective);
    if (!view) {
      view = maskEffectiveConfig(effective, secretPatterns);
      maskedViews.set(effective, view);
    }
    return view;
  };

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

  addConfigWriteRoutes(router, options);

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
          : { ...maskedView(effective), masked: true },
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
      config.pending(path, req.query.ensemble, req.query.instance),
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
      instance: req.query.instance,
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
