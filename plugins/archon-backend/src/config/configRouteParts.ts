import {
  archonConfigReadPermission,
  archonConfigWritePermission,
  archonSecretsRevealPermission,
  archonZooKeeperEnsembleWritePermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import {
  actorOf,
  type ArchonAuditor,
  type ArchonAuthorizer,
} from '@archon/plugin-archon-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request, Response } from 'express';
import {
  ConfigResolutionError,
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

export type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

export type AnyRequest = Request<any, any, any, any>;

/** The set a write route writes and who asked, once the write is authorized. */
export interface SetWriteTarget {
  path: string;
  credentials: BackstageCredentials;
  /** The actor the store records (the history's `by`). */
  actor: string;
  ensemble: string | undefined;
}

type SetWriteResult = Awaited<ReturnType<ConfigService['putSet']>>;

/** What a write route hands the one audited set write. */
export interface SetWrite {
  force: boolean;
  write: () => Promise<SetWriteResult>;
}

export interface ConfigRoutesOptions {
  config: ConfigService;
  authorizer: ArchonAuthorizer;
  audit: ArchonAuditor;
  secretPatterns: readonly string[];
}

/** `foo/bar` (from the URL) → `/foo/bar`; validation happens in the service. */
export function configPathOf(param: string): string {
  return param.startsWith('/') ? param : `/${param}`;
}

/** What the read and the write routes share: authorization, masking, the audited write. */
export function configRouteParts(options: ConfigRoutesOptions) {
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

  /**
   * 403 unless the caller may write to the ensemble (the default one when
   * none is named): archon.zookeeper.ensemble.write on `zookeeper:<ensemble>`
   * (#20), beside archon.config.write on the path. Run first inside the
   * write's audit event, so a refusal is recorded as the caller's.
   */
  const authorizeEnsemble = async (req: AnyRequest, ensemble?: string) => {
    await authorizer.authorize(
      req,
      archonZooKeeperEnsembleWritePermission,
      clusterResourceRef('zookeeper', config.ensemble(ensemble).config.name),
    );
  };

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
        await authorizeEnsemble(req, meta.ensemble);
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
    result: SetWriteResult,
    force?: boolean,
  ) => ({
    path,
    version: result.after?.version,
    changedKeys: result.changedKeys,
    ...(result.unchanged && { unchanged: true }),
    ...(force && { forced: true, brokenPaths: result.forcedBrokenPaths }),
  });

  /**
   * The handler of a route that writes one set, the one way every write
   * route does it: archon.config.write on the path first (a caller without it
   * gets 403 before any 400; the ensemble's permission is decided in the
   * audited write, see `authorizeEnsemble`), then `prepare`, which refuses
   * bad input (400, before anything is written) and says what to write, or
   * answers the request itself and returns nothing (the level prune, audited
   * on its own, deciding the ensemble's permission too); then the write,
   * audited, and its answer.
   */
  const setWriteRoute =
    (
      action: string,
      prepare: (
        req: AnyRequest,
        target: SetWriteTarget,
        res: Response,
      ) => Promise<SetWrite | undefined> | SetWrite,
    ) =>
    async (req: AnyRequest, res: Response) => {
      const path = configPathOf(req.params.configPath);
      const credentials = await authorizer.authorize(
        req,
        archonConfigWritePermission,
        path,
      );
      const ensemble = req.query.ensemble as string | undefined;
      const target = {
        path,
        credentials,
        actor: actorOf(credentials),
        ensemble,
      };
      const prepared = await prepare(req, target, res);
      if (!prepared) return;
      const { force, write } = prepared;
      const result = await audited(
        req,
        action,
        { path, ensemble, force },
        credentials,
        write,
      );
      res.json(writeAnswer(path, result, force));
    };

  return {
    authorizeRead,
    authorizeEnsemble,
    resolving,
    mask,
    maskRelease,
    setWriteRoute,
  };
}
