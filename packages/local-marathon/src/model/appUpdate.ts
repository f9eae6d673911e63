import { cloneJson, jsonEqual, JsonObject } from '../util/json';
import { renderAppDefinition } from '../api/renderApp';
import { AppDefinition } from './types';

/**
 * Applies a partial update (PATCH, or PUT with partialUpdate=true) to the current app:
 * every field given in the update replaces the current value as a whole, missing or null
 * fields keep it (the server's AppUpdate semantics). The result is a raw body that is
 * normalised and validated like a new app.
 */
export function mergePartialUpdate(
  current: AppDefinition,
  update: JsonObject,
): JsonObject {
  const base = renderAppDefinition(current);
  delete base.version;
  delete base.versionInfo;
  const given = Object.fromEntries(
    Object.entries(update).filter(
      ([key, value]) => value !== null && key !== 'id' && key !== 'version',
    ),
  );
  // Deprecated fields replace their canonical counterparts instead of conflicting with them.
  if ('ports' in given) delete base.portDefinitions;
  if ('uris' in given) delete base.fetch;
  const givenContainer = given.container as JsonObject | undefined;
  const givenDocker = givenContainer?.docker as JsonObject | undefined;
  if ('ipAddress' in given || (givenDocker && 'network' in givenDocker))
    delete base.networks;
  return { ...base, ...cloneJson(given), id: current.id };
}

/** Fields whose change does not alter what runs (server: AppDefinition.isUpgrade). */
const NON_RUNTIME_FIELDS = new Set([
  'id',
  'instances',
  'version',
  'versionInfo',
]);

/** True if tasks of `from` must be replaced to run `to` (a config change). */
export function isUpgrade(from: AppDefinition, to: AppDefinition): boolean {
  const a = renderAppDefinition(from);
  const b = renderAppDefinition(to);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].some(
    key => !NON_RUNTIME_FIELDS.has(key) && !jsonEqual(a[key], b[key]),
  );
}

export function isOnlyScaleChange(
  from: AppDefinition,
  to: AppDefinition,
): boolean {
  return !isUpgrade(from, to) && from.instances !== to.instances;
}
