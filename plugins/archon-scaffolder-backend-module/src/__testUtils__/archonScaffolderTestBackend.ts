import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalMarathon } from '@archon/local-marathon';
import {
  removeTestNamespace,
  startArchonTestBackend,
  type LocalClusterInfo,
  type TestNamespace,
} from '@archon/test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  type ActionContext,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleArchon } from '../module';

/** The user every test runs templates as; `DENIED_USER` is refused everything that writes. */
export const TEST_USER = 'user:default/alice';
export const DENIED_USER = 'user:default/mallory';

export interface ArchonScaffolderTestBackend {
  url: string;
  cluster: LocalClusterInfo;
  ns: TestNamespace;
  marathon: LocalMarathon;
  /** The actions exactly as this package's module registered them. */
  actions: Map<string, TemplateAction<any, any, any>>;
  api(apiPath: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * archon (plugin, Kafka and Marathon modules) and this scaffolder module in one
 * test backend on a real port, against the local cluster with a private
 * ZooKeeper root and a private local Marathon. The scaffolder's extension
 * point is stood in for, so the test gets the registered actions with the
 * backend's real auth and discovery. The permission policy denies writes,
 * topic creation and deploys to DENIED_USER.
 */
export async function startArchonScaffolderTestBackend(
  label: string,
  options: {
    /** Run the real scaffolder plugin instead, with these catalog entities (templates). */
    scaffolderWithEntities?: Entity[];
  } = {},
): Promise<ArchonScaffolderTestBackend> {
  const actions = new Map<string, TemplateAction<any, any, any>>();
  const scaffolderEntities = options.scaffolderWithEntities;
  // Without the scaffolder plugin, a stand-in for its extension point
  // collects the actions as the module registers them.
  const actionsStandIn = {
    addActions: (...added: TemplateAction<any, any, any>[]) =>
      added.forEach(action => actions.set(action.id, action)),
  };
  const backend = await startArchonTestBackend({
    label,
    ...(!scaffolderEntities && {
      extensionPoints: [[scaffolderActionsExtensionPoint, actionsStandIn]],
    }),
    features: [
      ...(scaffolderEntities
        ? [
            scaffolderPlugin,
            catalogServiceMock.factory({ entities: scaffolderEntities }),
          ]
        : []),
      archonPlugin,
      archonModuleKafka,
      archonModuleMarathon,
      scaffolderModuleArchon,
    ],
    kafka: true,
    marathon: { deploymentTimeoutMs: 30_000 },
    // A short settle window keeps the deploy tests quick (default 10 s).
    archon: { deploy: { settleSeconds: 1 } },
    deny: ({ user }) => user === DENIED_USER,
  });
  const { url, cluster, ns } = backend;
  return {
    url,
    cluster,
    ns,
    marathon: backend.marathon!,
    actions,
    api: (apiPath, init) =>
      fetch(`${url}/api/archon${apiPath}`, {
        ...init,
        headers: {
          'content-type': 'application/json',
          authorization: mockCredentials.user.header(TEST_USER),
          ...(init?.headers as Record<string, string>),
        },
      }),
    async stop() {
      await backend.stop();
      // Its topics, groups, connectors and ZooKeeper root: the shared
      // cluster keeps nothing of the run.
      await removeTestNamespace(ns, cluster);
    },
  };
}

/**
 * The header every action suite shares: its backend started in `beforeAll`
 * and stopped, with its namespace removed, in `afterAll`. Call it at the
 * top of a test file; the function it returns gives the started backend.
 */
export function useArchonScaffolderTestBackend(
  label: string,
): () => ArchonScaffolderTestBackend {
  let backend: ArchonScaffolderTestBackend | undefined;
  beforeAll(async () => {
    backend = await startArchonScaffolderTestBackend(label);
  });
  afterAll(async () => {
    await backend?.stop();
  });
  return () => {
    if (!backend)
      throw new Error(`the ${label} test backend is not started yet`);
    return backend;
  };
}

/** What an action run left behind: its outputs and its log lines. */
export interface ActionRun {
  outputs: Record<string, unknown>;
  logs: string[];
}

/**
 * Runs an action's handler as the scaffolder does for one step, with `user`
 * as the task's initiator, collecting outputs and log lines in `run`.
 */
export async function runAction(
  action: TemplateAction<any, any, any>,
  input: JsonObject,
  run: ActionRun,
  user: string = TEST_USER,
): Promise<void> {
  const log = (level: string) => (message: string) => {
    run.logs.push(`${level} ${message}`);
  };
  const logger: any = {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    debug: log('debug'),
    child: () => logger,
  };
  const ctx: ActionContext<any, any, any> = {
    input,
    logger,
    workspacePath: os.tmpdir(),
    task: { id: `task-${Date.now()}` },
    user: { ref: user },
    output: (name, value) => {
      run.outputs[String(name)] = value;
    },
    getInitiatorCredentials: async () => mockCredentials.user(user),
    checkpoint: async ({ fn }: any) => fn(),
    createTemporaryDirectory: async () =>
      fs.mkdtempSync(path.join(os.tmpdir(), 'archon-action-')),
  };
  await action.handler(ctx);
}

export function newRun(): ActionRun {
  return { outputs: {}, logs: [] };
}
