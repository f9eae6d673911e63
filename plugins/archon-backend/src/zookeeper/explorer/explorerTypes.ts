import zookeeper, { type Stat } from 'node-zookeeper-client';
import type {
  ZooKeeperAcl,
  ZooKeeperAclEntryPermissionsEnum,
  ZooKeeperChildren,
  ZooKeeperExport,
  ZooKeeperExportNode,
  ZooKeeperImportPlan,
  ZooKeeperZnode,
} from '@archon/plugin-archon-common';
import { DEFAULT_MAX_DATA_BYTES } from './znodeData';

/** Resource limits; every one is reported by name when a request runs into it. */
export interface ZooKeeperExplorerLimits {
  /** Largest page of children. */
  maxPageSize: number;
  /** ZooKeeper calls in flight for one request (stats of a page, tree walks). */
  concurrency: number;
  /** Znodes in one export. */
  exportMaxNodes: number;
  /** Bytes of znode data in one export (the JSON is about 2.4 times that). */
  exportMaxBytes: number;
  /** Znodes in one import document. */
  importMaxNodes: number;
  /** Znodes a search may visit. */
  searchMaxVisited: number;
  /** Matches a search may return. */
  searchMaxResults: number;
  /** Znodes one recursive delete (or the deletes of a replace import) may remove. */
  deleteMaxNodes: number;
  /** Operations in one ZooKeeper transaction of a recursive delete. */
  deleteBatchOps: number;
  /**
   * Estimated bytes of one ZooKeeper transaction. ZooKeeper refuses requests
   * above jute.maxbuffer (1 MiB by default) by dropping the connection, so
   * archon stays well below it.
   */
  maxTransactionBytes: number;
  /** Bytes of data in one znode. */
  maxDataBytes: number;
}

export const DEFAULT_EXPLORER_LIMITS: ZooKeeperExplorerLimits = {
  maxPageSize: 1000,
  concurrency: 64,
  exportMaxNodes: 10_000,
  exportMaxBytes: 8 * 1024 * 1024,
  importMaxNodes: 10_000,
  searchMaxVisited: 100_000,
  searchMaxResults: 1000,
  deleteMaxNodes: 100_000,
  deleteBatchOps: 1000,
  maxTransactionBytes: 900_000,
  maxDataBytes: DEFAULT_MAX_DATA_BYTES,
};

export type ZnodeCreateMode =
  | 'persistent'
  | 'persistent_sequential'
  | 'sequential'
  | 'ephemeral'
  | 'ephemeral_sequential';

/** How often create() re-reads the ancestors when a parent appears concurrently. */
export const MAX_PARENT_RACE_RETRIES = 5;

export const CREATE_MODES: Record<ZnodeCreateMode, number> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  persistent_sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  // zkCli's `create -s`: persistent and sequential.
  sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  ephemeral_sequential: zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

export const EXPORT_FORMAT = 'archon.zookeeper.export/v1';

// The answers are the API's own models (generated from the OpenAPI spec),
// under the names the explorer's code uses.

export type ZnodeView = ZooKeeperZnode;

export type ZnodeChildrenPage = ZooKeeperChildren;

export type ZnodeAclView = ZooKeeperAcl;

export type ExportNode = ZooKeeperExportNode;

export type ZnodeExport = ZooKeeperExport;

export type ImportPlan = ZooKeeperImportPlan;

export interface WalkedNode {
  path: string;
  stat: Stat;
  data?: Buffer;
  /** Child names, sorted. */
  children: string[];
}

export type ZnodePermission = ZooKeeperAclEntryPermissionsEnum;
