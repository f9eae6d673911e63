import { boolQuery, intQuery } from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import {
  configRouteParts,
  type ApiRouter,
  type ConfigRoutesOptions,
} from './configRouteParts';

/** The configuration writes: put, patch, delete (or prune) and restore of a set. */
export function addConfigWriteRoutes(
  router: ApiRouter,
  options: ConfigRoutesOptions,
) {
  const { config, audit } = options;
  const { setWriteRoute, authorizeEnsemble } = configRouteParts(options);

  router.put(
    '/config/sets/:configPath',
    setWriteRoute('config-set-put', (req, { path, actor, ensemble }) => {
      const force = req.body.force === true;
      return {
        force,
        write: () =>
          config.putSet(path, req.body.properties, actor, {
            expectedVersion: req.body.expectedVersion,
            ensemble,
            force,
          }),
      };
    }),
  );

  router.patch(
    '/config/sets/:configPath',
    setWriteRoute('config-set-patch', (req, { path, actor, ensemble }) => {
      if (!req.body.set && !req.body.unset) {
        throw new InputError(
          'A patch needs "set" (keys to write) and/or "unset" (keys to remove)',
        );
      }
      const force = req.body.force === true;
      return {
        force,
        write: () =>
          config.patchSet(
            path,
            { set: req.body.set, unset: req.body.unset },
            actor,
            { expectedVersion: req.body.expectedVersion, ensemble, force },
          ),
      };
    }),
  );

  router.delete(
    '/config/sets/:configPath',
    setWriteRoute('config-set-delete', async (req, target, res) => {
      const { path, actor, ensemble } = target;
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
      if (!prune) {
        return {
          force,
          write: () =>
            config.deleteSet(path, actor, { expectedVersion, ensemble, force }),
        };
      }
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
            cluster: config.ensemble(ensemble).config.name,
            resource: path,
            configPath: path,
          },
          meta: { path, recursive },
          severityLevel: recursive ? 'high' : 'medium',
        },
        async () => {
          await authorizeEnsemble(req, ensemble);
          return config.pruneLevel(path, actor, { recursive, ensemble });
        },
        {
          successMeta: result => ({
            removedLevels: result.removedLevels,
            removedSets: result.removedSets,
          }),
        },
      );
      res.json({ ...pruned, changedKeys: [] });
      return undefined;
    }),
  );

  router.post(
    '/config/sets/:configPath/restore',
    setWriteRoute('config-set-restore', (req, { path, actor, ensemble }) => {
      const force = req.body.force === true;
      return {
        force,
        write: () =>
          config.restoreSet(path, req.body.version, actor, {
            expectedVersion: req.body.expectedVersion,
            ensemble,
            force,
          }),
      };
    }),
  );
}
