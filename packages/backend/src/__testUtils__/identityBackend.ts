import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
  type AuthService,
  type BackendFeature,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import type { JsonObject } from '@backstage/types';
import {
  getTestCluster,
  startArchonTestBackend,
  type TestNamespace,
} from '@archon/test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import permissionPlugin from '@backstage/plugin-permission-backend';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';

// eslint-disable-next-line no-restricted-syntax -- the repository's own app-config, as the portal reads it
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function appConfig(): any {
  return YAML.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
}

/** The static tokens of the repository's app-config.yaml, as start.sh runs them (token set by the caller). */
export function appConfigExternalAccess(token: string): JsonObject[] {
  const entries = appConfig().backend.auth.externalAccess as JsonObject[];
  return JSON.parse(
    JSON.stringify(entries).replaceAll('${ARCHON_API_TOKEN}', token),
  );
}

export interface IdentityBackend {
  /** http://localhost:<port>, as discovery names it. */
  url: string;
  server: Parameters<typeof import('supertest')>[0];
  ns: TestNamespace;
  zkRoot: string;
  /** A token of the test plugin `sweeper` for archon: a service principal without restrictions. */
  pluginToken(): Promise<string>;
  /** Signs in with the guest provider, as the portal does; the Backstage user token. */
  guestToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * archon with Backstage's real identity services, as the portal runs them:
 * the auth service (static external tokens from `externalAccess`, plugin
 * tokens, user tokens), the auth backend with the guest provider and its
 * OIDC provider (client-ID metadata documents, refresh tokens), the
 * permission backend asking `policy`, and archon with the Kafka and Marathon modules on
 * the local cluster under a private ZooKeeper root. Nothing is mocked but
 * the database (SQLite in memory) and the logger.
 */
export async function startIdentityBackend(options: {
  label: string;
  policy: (deps: { userInfo: UserInfoService }) => PermissionPolicy;
  externalAccess: JsonObject[];
  /** Extra top-level config (e.g. `archon.permissions`). */
  config?: JsonObject;
  /** What the guest owns (its user ref and groups); the guest's ref alone by default. */
  guestOwnership?: string[];
  /** Who the guest signs in as; app-config.yaml's `user:default/guest` by default (a second user is a second backend). */
  guestUserEntityRef?: string;
  /** More features, e.g. a root logger whose lines a test reads. */
  features?: BackendFeature[];
}): Promise<IdentityBackend> {
  let sweeperAuth: AuthService | undefined;

  const policyModule = createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register({ registerInit }) {
      registerInit({
        deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
        async init({ policy, userInfo }) {
          policy.setPolicy(options.policy({ userInfo }));
        },
      });
    },
  });
  const sweeper = createBackendPlugin({
    pluginId: 'sweeper',
    register({ registerInit }) {
      registerInit({
        deps: { auth: coreServices.auth },
        async init({ auth }) {
          sweeperAuth = auth;
        },
      });
    },
  });

  const cluster = getTestCluster();
  const backend = await startArchonTestBackend({
    label: options.label,
    features: [
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      userInfoServiceFactory,
      authPlugin,
      authModuleGuestProvider,
      permissionPlugin,
      policyModule,
      sweeper,
      archonPlugin,
      archonModuleKafka,
      archonModuleMarathon,
      ...(options.features ?? []),
    ],
    cluster,
    kafka: true,
    connect: true,
    // The shared local Marathon (nothing here deploys).
    marathon: { url: cluster.marathon?.url ?? 'http://127.0.0.1:8080' },
    config: {
      // Where the OIDC provider sends a browser for consent (the portal's
      // page); tests approve through the same API that page calls.
      app: { baseUrl: 'http://localhost:3000' },
      backend: { auth: { externalAccess: options.externalAccess } },
      permission: { enabled: true },
      // app-config.yaml's own auth section (guest provider, the OIDC
      // provider's client-ID documents, refresh tokens). This backend has
      // no catalog: the guest's ownership comes from the provider's
      // fallback, and refresh does not look the user up there.
      auth: {
        ...appConfig().auth,
        providers: {
          guest: {
            ...appConfig().auth.providers.guest,
            ...(options.guestUserEntityRef && {
              userEntityRef: options.guestUserEntityRef,
            }),
            ownershipEntityRefs: options.guestOwnership ?? [
              options.guestUserEntityRef ?? 'user:default/guest',
            ],
          },
        },
        experimentalRefreshToken: {
          ...appConfig().auth.experimentalRefreshToken,
          dangerouslyDisableCatalogPresenceCheck: true,
        },
      },
      ...options.config,
    },
  });
  const { ns, zkRoot } = backend;
  // As discovery names it: the OIDC provider's issuer and client-ID documents are on localhost.
  const baseUrl = `http://localhost:${new URL(backend.url).port}`;

  return {
    url: baseUrl,
    server: backend.server,
    ns,
    zkRoot,
    async pluginToken() {
      if (!sweeperAuth) throw new Error('the sweeper plugin did not start');
      const { token } = await sweeperAuth.getPluginRequestToken({
        onBehalfOf: await sweeperAuth.getOwnServiceCredentials(),
        targetPluginId: 'archon',
      });
      return token;
    },
    async guestToken() {
      const res = await fetch(
        `${baseUrl}/api/auth/guest/refresh?env=development`,
        {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        },
      );
      if (!res.ok)
        throw new Error(
          `guest sign-in answered ${res.status}: ${await res.text()}`,
        );
      const body = (await res.json()) as {
        backstageIdentity: { token: string };
      };
      return body.backstageIdentity.token;
    },
    stop: () => backend.stop(),
  };
}
