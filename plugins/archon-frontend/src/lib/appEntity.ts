import type { Entity } from '@backstage/catalog-model';
import { normalizePath } from './configPaths';

/** The annotations archon puts on (or reads from) app Components. */
export const APP_ANNOTATIONS = {
  configPath: 'archon.io/config-path',
  marathonInstance: 'archon.io/marathon-instance',
  marathonAppId: 'archon.io/marathon-app-id',
  release: 'archon.io/release',
} as const;

/** What an app Component's annotations say about where it comes from and runs. */
export interface AppRef {
  /** Its Pheidippides configuration path (what deploys render). */
  configPath?: string;
  /** The Marathon instance it runs on. */
  instance?: string;
  /** Its Marathon app id, with the leading slash. */
  appId?: string;
  /** The release it ran when the catalog last read it. */
  release?: string;
}

export function appRefOf(entity: Entity): AppRef {
  const a = entity.metadata.annotations ?? {};
  const configPath = a[APP_ANNOTATIONS.configPath];
  return {
    configPath: configPath ? normalizePath(configPath) : undefined,
    instance: a[APP_ANNOTATIONS.marathonInstance] || undefined,
    appId: a[APP_ANNOTATIONS.marathonAppId] || undefined,
    release: a[APP_ANNOTATIONS.release] || undefined,
  };
}

/** A Component deployed (or deployable) by archon: it has a configuration path or a Marathon app id. */
export function isArchonApp(entity: Entity): boolean {
  if (entity.kind.toLowerCase() !== 'component') return false;
  const ref = appRefOf(entity);
  return Boolean(ref.configPath || ref.appId);
}

/** A Component archon can deploy: it has a configuration path. */
export function isDeployableApp(entity: Entity): boolean {
  return isArchonApp(entity) && Boolean(appRefOf(entity).configPath);
}

/** `/foo/bar` → `foo/bar`, the form the generated client puts in Marathon URLs. */
export function apiAppId(appId: string): string {
  return appId.replace(/^\/+/, '');
}
