import { UnprocessableError } from '@archon/plugin-archon-node';
import {
  EXPORT_FORMAT,
  type ExportNode,
  type WalkedNode,
  type ZnodeExport,
} from './explorerTypes';
import { ZnodeAccess } from './ZnodeAccess';
import { describeZnodeData, statView } from './znodeData';
import { joinZnode, nameOf, validateZnodePath } from './znodePath';

/** A subtree as one JSON document (the import's input). */
export class ZnodeExporter extends ZnodeAccess {
  /** The subtree at `path` as JSON: every znode's data (base64, plus text when it is text), children sorted by name. */
  async export(
    path: string,
    options: { maxNodes?: number; includeStat?: boolean } = {},
  ): Promise<ZnodeExport> {
    validateZnodePath(path);
    const maxNodes = this.capped(
      'maxNodes',
      options.maxNodes,
      this.limits.exportMaxNodes,
    );
    let dataBytes = 0;
    const nodes = await this.walk(path, {
      withData: true,
      maxNodes,
      tooMany: () =>
        new UnprocessableError(
          `The subtree at ${path} has more than ${maxNodes} znodes, the export limit (maxNodes); export smaller subtrees (see GET /zookeeper/{ensemble}/children${
            path === '/' ? '' : path
          } for its parts)`,
          { limit: 'maxNodes', maxNodes },
        ),
      onNode: node => {
        dataBytes += node.data?.length ?? 0;
        if (dataBytes > this.limits.exportMaxBytes) {
          throw new UnprocessableError(
            `The subtree at ${path} holds more than ${this.limits.exportMaxBytes} bytes of znode data, the export limit; export smaller subtrees`,
            {
              limit: 'exportMaxBytes',
              exportMaxBytes: this.limits.exportMaxBytes,
            },
          );
        }
      },
    });
    if (nodes.length === 0) throw await this.notFound(path);
    const byPath = new Map(nodes.map(n => [n.path, n]));
    const build = (node: WalkedNode): ExportNode => {
      const view = describeZnodeData(node.data ?? Buffer.alloc(0));
      const out: ExportNode = {
        name: node.path === '/' ? '' : nameOf(node.path),
        data: {
          format: view.format,
          base64: view.base64,
          ...(view.text !== undefined ? { text: view.text } : {}),
        },
      };
      if (node.stat && statView(node.stat).ephemeral) out.ephemeral = true;
      if (options.includeStat) out.stat = statView(node.stat);
      const children = node.children
        .map(name => byPath.get(joinZnode(node.path, name)))
        .filter((c): c is WalkedNode => !!c);
      if (children.length > 0) out.children = children.map(build);
      return out;
    };
    return {
      format: EXPORT_FORMAT,
      ensemble: this.ensemble,
      path,
      exportedAt: new Date().toISOString(),
      nodeCount: nodes.length,
      dataBytes,
      root: build(nodes[0]),
    };
  }
}
