import { InputError } from '@backstage/errors';
import { UnprocessableError } from '@archon/plugin-archon-node';
import zookeeper from 'node-zookeeper-client';
import { createHash } from 'node:crypto';
import { ZooKeeperOpError, type ZooKeeperOp } from '../ZooKeeperSession';
import { mapLimit } from './concurrency';
import {
  commonZooKeeperError,
  zooKeeperCodeOf,
  ZooKeeperConflictError,
} from './errors';
import {
  EXPORT_FORMAT,
  type ExportNode,
  type ImportPlan,
  type ZnodeExport,
} from './explorerTypes';
import { opBytes, ZnodeAccess } from './ZnodeAccess';
import { decodeZnodeDataInput, textOf } from './znodeData';
import {
  ancestorsOfZnode,
  assertWritableZnode,
  isAtOrBelow,
  joinZnode,
  validateZnodePath,
  znodeNameProblem,
} from './znodePath';

const E = zookeeper.Exception;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Applying an export document to a subtree, planned first. */
export class ZnodeImporter extends ZnodeAccess {
  /**
   * Applies an export document to the subtree at `path` (its root node maps
   * to `path`). `merge` creates missing znodes and updates changed data;
   * `replace` also deletes znodes that the document does not have. A dry run
   * (the default) only plans; applying runs the plan as ONE version-checked
   * ZooKeeper transaction, so a concurrent change fails it as a whole (409)
   * and nothing is half-applied. Ephemeral znodes in the document are skipped
   * (they would belong to archon's session).
   */
  async import(
    path: string,
    options: {
      snapshot: ZnodeExport;
      mode?: 'merge' | 'replace';
      dryRun?: boolean;
      expectedPlanHash?: string;
    },
  ): Promise<ImportPlan> {
    validateZnodePath(path);
    assertWritableZnode(path, 'import into');
    const mode = options.mode ?? 'merge';
    const dryRun = options.dryRun ?? true;
    const { snapshot } = options;
    if (snapshot.format !== EXPORT_FORMAT) {
      throw new InputError(
        `"snapshot.format" is ${JSON.stringify(
          snapshot.format,
        )}; archon imports "${EXPORT_FORMAT}" documents (from GET /zookeeper/{ensemble}/export/...)`,
      );
    }
    const desired = this.#flatten(path, snapshot.root);
    const skipped = desired.skipped;

    // What is there now.
    const existingAncestors = await mapLimit(
      ancestorsOfZnode(path),
      this.limits.concurrency,
      a => this.call(a, 'import into', () => this.session.exists(a)),
    );
    const missingAncestors = ancestorsOfZnode(path).filter(
      (_, i) => !existingAncestors[i],
    );
    const current = new Map<string, { data: Buffer; version: number }>();
    const currentPaths: string[] = [];
    if (mode === 'replace') {
      const walked = await this.walk(path, {
        withData: true,
        maxNodes: this.limits.deleteMaxNodes,
        tooMany: () =>
          new UnprocessableError(
            `The subtree at ${path} has more than ${this.limits.deleteMaxNodes} znodes; archon does not replace subtrees that large`,
            {
              limit: 'deleteMaxNodes',
              deleteMaxNodes: this.limits.deleteMaxNodes,
            },
          ),
      });
      for (const n of walked) {
        current.set(n.path, {
          data: n.data ?? Buffer.alloc(0),
          version: n.stat.version,
        });
        currentPaths.push(n.path);
      }
    } else {
      const paths = [...desired.nodes.keys()];
      const read = await mapLimit(paths, this.limits.concurrency, p =>
        this.call(p, 'import into', () => this.session.getData(p)),
      );
      paths.forEach((p, i) => {
        const node = read[i];
        if (node)
          current.set(p, { data: node.data, version: node.stat.version });
      });
    }

    // The plan.
    const creates: ImportPlan['creates'] = missingAncestors.map(p => ({
      path: p,
      size: 0,
    }));
    const updates: ImportPlan['updates'] = [];
    let unchanged = 0;
    for (const [p, data] of desired.nodes) {
      const now = current.get(p);
      if (!now) creates.push({ path: p, size: data.length });
      else if (now.data.equals(data)) unchanged++;
      else
        updates.push({
          path: p,
          version: now.version,
          fromSize: now.data.length,
          toSize: data.length,
        });
    }
    const deletes: ImportPlan['deletes'] =
      mode === 'replace'
        ? currentPaths
            .filter(p => !desired.nodes.has(p) && !desired.skippedPaths.has(p))
            .reverse()
            .map(p => ({ path: p, version: current.get(p)!.version }))
        : [];

    const ops: ZooKeeperOp[] = [
      ...deletes.map(
        (d): ZooKeeperOp => ({
          type: 'remove',
          path: d.path,
          version: d.version,
        }),
      ),
      ...creates.map(
        (c): ZooKeeperOp => ({
          type: 'create',
          path: c.path,
          data: desired.nodes.get(c.path) ?? Buffer.alloc(0),
        }),
      ),
      ...updates.map(
        (u): ZooKeeperOp => ({
          type: 'setData',
          path: u.path,
          data: desired.nodes.get(u.path)!,
          version: u.version,
        }),
      ),
    ];
    const estimatedTransactionBytes = ops.reduce(
      (sum, op) => sum + opBytes(op),
      0,
    );
    const planHash = sha256(
      JSON.stringify({
        path,
        mode,
        ops: ops.map(op => [
          op.type,
          op.path,
          'version' in op ? op.version : null,
          'data' in op ? sha256(op.data) : null,
        ]),
      }),
    );
    const plan: ImportPlan = {
      path,
      mode,
      dryRun,
      applied: false,
      creates,
      updates,
      deletes,
      unchanged,
      skipped,
      planHash,
      estimatedTransactionBytes,
      maxTransactionBytes: this.limits.maxTransactionBytes,
    };
    if (dryRun) return plan;

    if (
      options.expectedPlanHash !== undefined &&
      options.expectedPlanHash !== planHash
    ) {
      throw new ZooKeeperConflictError(
        `The import into ${path} would no longer do what the dry run showed (the znodes changed since); review the new plan in "details" and apply with its planHash`,
        { details: { plan } },
      );
    }
    if (estimatedTransactionBytes > this.limits.maxTransactionBytes) {
      throw new UnprocessableError(
        `The import into ${path} needs one ZooKeeper transaction of about ${estimatedTransactionBytes} bytes; archon keeps transactions below ${this.limits.maxTransactionBytes} (ZooKeeper's jute.maxbuffer is about 1 MiB). Import smaller subtrees`,
        {
          limit: 'maxTransactionBytes',
          estimatedTransactionBytes,
          maxTransactionBytes: this.limits.maxTransactionBytes,
        },
      );
    }
    if (ops.length > 0) {
      try {
        await this.session.multi(ops);
      } catch (error) {
        const code = zooKeeperCodeOf(error);
        if (
          code === E.BAD_VERSION ||
          code === E.NODE_EXISTS ||
          code === E.NO_NODE ||
          code === E.NOT_EMPTY
        ) {
          const at =
            error instanceof ZooKeeperOpError ? error.op?.path : undefined;
          throw new ZooKeeperConflictError(
            `${
              at ?? path
            } changed while the import was being applied; nothing was applied. Run the dry run again and apply the new plan`,
            { details: { failedAt: at } },
          );
        }
        throw commonZooKeeperError(error, path, 'import into');
      }
    }
    return { ...plan, applied: true };
  }

  /** The import document flattened to absolute paths, validated. */
  #flatten(path: string, root: ExportNode) {
    const nodes = new Map<string, Buffer>();
    const skipped: ImportPlan['skipped'] = [];
    const skippedPaths = new Set<string>();
    let count = 0;
    const visit = (node: ExportNode, at: string, where: string) => {
      if (++count > this.limits.importMaxNodes) {
        throw new InputError(
          `The import document has more than ${this.limits.importMaxNodes} znodes, the import limit; import smaller subtrees`,
        );
      }
      const data = this.#importData(node, where);
      if (node.ephemeral) {
        skipped.push({
          path: at,
          reason:
            "ephemeral in the export; an imported copy would belong to archon's session",
        });
        skippedPaths.add(at);
        if (node.children?.length) {
          throw new InputError(
            `${where} is marked ephemeral but has children; ephemeral znodes cannot have children`,
          );
        }
        return;
      }
      nodes.set(at, data);
      const seen = new Set<string>();
      (node.children ?? []).forEach((child, i) => {
        const childWhere = `${where}.children[${i}]`;
        const problem =
          typeof child?.name === 'string'
            ? znodeNameProblem(child.name)
            : 'is missing';
        if (problem) throw new InputError(`${childWhere}.name ${problem}`);
        if (seen.has(child.name))
          throw new InputError(
            `${childWhere}.name "${child.name}" appears twice under ${at}`,
          );
        seen.add(child.name);
        const childPath = joinZnode(at, child.name);
        if (!isAtOrBelow(path, childPath))
          throw new InputError(`${childWhere} is outside ${path}`);
        visit(child, childPath, childWhere);
      });
    };
    if (!root || typeof root !== 'object')
      throw new InputError('"snapshot.root" is missing');
    visit(root, path, 'snapshot.root');
    return { nodes, skipped, skippedPaths };
  }

  #importData(node: ExportNode, where: string): Buffer {
    const { base64, text } = node.data ?? {};
    if (base64 === undefined) {
      return decodeZnodeDataInput(text === undefined ? undefined : { text }, {
        field: `${where}.data`,
        maxBytes: this.limits.maxDataBytes,
      });
    }
    const bytes = decodeZnodeDataInput(
      { base64 },
      { field: `${where}.data`, maxBytes: this.limits.maxDataBytes },
    );
    if (text !== undefined && textOf(bytes) !== text) {
      throw new InputError(
        `${where}.data has both "base64" and "text" and they differ; if you edited one, remove the other (base64 is exact, text is for reading)`,
      );
    }
    return bytes;
  }
}
