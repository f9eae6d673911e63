import { archonSecretsRevealPermission } from '@archon/plugin-archon-common';
import type { ArchonAuthorizer } from '@archon/plugin-archon-node';
import { UnprocessableError } from '@archon/plugin-archon-node';
import type { Request } from 'express';
import {
  decodeConfigLevelData,
  getConfigSetCodec,
  isSecretKey,
  maskSecrets,
} from '../config/core';
import type { ConfigService } from '../config/ConfigService';
import type { ConfigZnodeGuard } from './configZnodeGuard';
import {
  describeZnodeData,
  joinZnode,
  type ExportNode,
  type ZnodeExport,
  type ZnodeView,
} from './explorer';

/**
 * Raw znode reads of configuration levels follow the same secret rule as the
 * configuration routes: a caller who may not reveal secrets on a level
 * (`archon.config.secrets.reveal` for its path) sees its set with secret
 * values masked, re-encoded in the ensemble's encoding, and `masked: true`.
 * Znodes outside the configuration tree, and levels archon cannot read as a
 * set, are shown as stored.
 */
export class ZnodeSecretMasking {
  readonly #config: ConfigService;
  readonly #guard: ConfigZnodeGuard;
  readonly #authorizer: ArchonAuthorizer;
  readonly #patterns: readonly string[];

  constructor(options: {
    config: ConfigService;
    guard: ConfigZnodeGuard;
    authorizer: ArchonAuthorizer;
    secretPatterns: readonly string[];
  }) {
    this.#config = options.config;
    this.#guard = options.guard;
    this.#authorizer = options.authorizer;
    this.#patterns = options.secretPatterns;
  }

  /** A read of one znode, masked unless the caller may reveal its level's secrets. */
  async read(
    req: Request<any, any, any, any>,
    ensemble: string,
    view: ZnodeView,
  ): Promise<ZnodeView & { masked?: boolean }> {
    const location = this.#guard.locate(ensemble, view.path);
    if (!location || location.root) return view;
    if (await this.#mayReveal(req, location.configPath)) return view;
    const masked = this.#maskLevel(
      ensemble,
      view.path,
      Buffer.from(view.data.base64, 'base64'),
    );
    return masked
      ? { ...view, data: describeZnodeData(masked), masked: true }
      : view;
  }

  /**
   * An export, masked unless the caller may reveal secrets for the whole
   * configuration subtree it covers (one decision for the export's top, like
   * the configuration tree: a caller allowed only part of it sees it masked).
   */
  async export(
    req: Request<any, any, any, any>,
    ensemble: string,
    path: string,
    doc: ZnodeExport,
  ): Promise<ZnodeExport & { masked?: boolean }> {
    const root = this.#config
      .ensemble(ensemble)
      .config.root.replace(/\/+$/, '');
    const covers =
      path === root ||
      path === '/' ||
      `${root}/`.startsWith(`${path}/`) ||
      path.startsWith(`${root}/`);
    if (!covers) return doc;
    const location = this.#guard.locate(ensemble, path);
    const scope = location && !location.root ? location.configPath : '/';
    if (await this.#mayReveal(req, scope)) return doc;
    let maskedAny = false;
    const walk = (node: ExportNode, nodePath: string): ExportNode => {
      const at = this.#guard.locate(ensemble, nodePath);
      let data = node.data;
      if (at && !at.root && data?.base64 !== undefined) {
        const masked = this.#maskLevel(
          ensemble,
          nodePath,
          Buffer.from(data.base64, 'base64'),
        );
        if (masked) {
          const view = describeZnodeData(masked);
          data = {
            format: view.format,
            base64: view.base64,
            ...(view.text !== undefined ? { text: view.text } : {}),
          };
          maskedAny = true;
        }
      }
      const children = node.children?.map(child =>
        walk(child, joinZnode(nodePath, child.name)),
      );
      return {
        ...node,
        ...(data ? { data } : {}),
        ...(children ? { children } : {}),
      };
    };
    const maskedRoot = walk(doc.root, path);
    return maskedAny ? { ...doc, root: maskedRoot, masked: true } : doc;
  }

  /** Refuses to import an export whose secret values were masked: it would overwrite them with the mask. */
  refuseMaskedImport(snapshot: { masked?: boolean } | undefined) {
    if (snapshot?.masked) {
      throw new UnprocessableError(
        'This export has masked secret values (it was made by someone who may not reveal them); importing it would replace the secrets with ********. Export again as someone with archon.config.secrets.reveal, or remove "masked" after putting the real values back.',
        { field: 'snapshot.masked' },
      );
    }
  }

  async #mayReveal(
    req: Request<any, any, any, any>,
    configPath: string,
  ): Promise<boolean> {
    const credentials = await this.#authorizer.credentials(req);
    return this.#authorizer.isAllowed(
      credentials,
      archonSecretsRevealPermission,
      configPath,
    );
  }

  /** The level's data with its secret values masked, or undefined when there is nothing to mask. */
  #maskLevel(
    ensemble: string,
    znodePath: string,
    data: Buffer,
  ): Buffer | undefined {
    const codec = getConfigSetCodec(
      this.#config.ensemble(ensemble).config.encoding,
    );
    let level: ReturnType<typeof decodeConfigLevelData>;
    try {
      level = decodeConfigLevelData(codec, data, znodePath);
    } catch {
      // Not a set archon can read: there are no keys to judge.
      return undefined;
    }
    if (
      !level.hasSet ||
      !Object.keys(level.properties).some(key =>
        isSecretKey(key, this.#patterns),
      )
    )
      return undefined;
    return codec.encode(maskSecrets(level.properties, this.#patterns));
  }
}
