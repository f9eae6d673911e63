import { archonConfigWritePermission } from '@archon/plugin-archon-common';
import { actorOf, boolQuery, intQuery } from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import {
  configRouteParts,
  configPathOf,
  type ApiRouter,
  type ConfigRoutesOptions,
} from './configRouteParts';

/** The configuration writes: put, patch, delete (or prune) and restore of a set. */
export function addConfigWriteRoutes(
  router: ApiRouter,
  options: ConfigRoutesOptions,
) {
  const { config, authorizer, audit } = options;
  const { audited, writeAnswer } = configRouteParts(options);

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
    const expectedVersion = intQuery(req.query.expectedVersion);
    const [force, prune, recursive] = [
      req.query.force,
      req.query.prune,
      req.query.recursive,
    ].map(value => boolQuery(value) ?? false);
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
}
