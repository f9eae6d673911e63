import type { ZooKeeperExplorerLimits } from './explorerTypes';
import { ZnodeAccess, type ZnodeAccessOptions } from './ZnodeAccess';
import { ZnodeBrowser } from './ZnodeBrowser';
import { ZnodeDeletion } from './ZnodeDeletion';
import { ZnodeExporter } from './ZnodeExporter';
import { ZnodeImporter } from './ZnodeImporter';
import { ZnodeSearch } from './ZnodeSearch';
import { ZnodeWriter } from './ZnodeWriter';

export * from './explorerTypes';

/**
 * The raw ZooKeeper explorer of one ensemble: browse, read, create, change,
 * delete, ACLs, export/import and search of any znode. No HTTP here. Writes
 * always go through version-checked ZooKeeper transactions, so a request
 * either applies completely or not at all (recursive deletes too large for
 * one transaction are the documented exception).
 *
 * One entry point for the routes; each capability lives in its own part
 * (browse, search, write, delete, export, import), all sharing ZnodeAccess.
 */
export class ZooKeeperExplorer {
  readonly limits: ZooKeeperExplorerLimits;
  readonly #browser: ZnodeBrowser;
  readonly #search: ZnodeSearch;
  readonly #writer: ZnodeWriter;
  readonly #deletion: ZnodeDeletion;
  readonly #exporter: ZnodeExporter;
  readonly #importer: ZnodeImporter;

  constructor(options: ZnodeAccessOptions) {
    this.limits = new ZnodeAccess(options).limits;
    this.#browser = new ZnodeBrowser(options);
    this.#search = new ZnodeSearch(options);
    this.#writer = new ZnodeWriter(options);
    this.#deletion = new ZnodeDeletion(options);
    this.#exporter = new ZnodeExporter(options);
    this.#importer = new ZnodeImporter(options);
  }

  read(...args: Parameters<ZnodeBrowser['read']>) {
    return this.#browser.read(...args);
  }

  list(...args: Parameters<ZnodeBrowser['list']>) {
    return this.#browser.list(...args);
  }

  acl(...args: Parameters<ZnodeBrowser['acl']>) {
    return this.#browser.acl(...args);
  }

  search(...args: Parameters<ZnodeSearch['search']>) {
    return this.#search.search(...args);
  }

  export(...args: Parameters<ZnodeExporter['export']>) {
    return this.#exporter.export(...args);
  }

  create(...args: Parameters<ZnodeWriter['create']>) {
    return this.#writer.create(...args);
  }

  setData(...args: Parameters<ZnodeWriter['setData']>) {
    return this.#writer.setData(...args);
  }

  delete(...args: Parameters<ZnodeDeletion['delete']>) {
    return this.#deletion.delete(...args);
  }

  import(...args: Parameters<ZnodeImporter['import']>) {
    return this.#importer.import(...args);
  }
}
