import type { JsonObject, JsonValue } from '@backstage/types';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `over` laid over `base` as Backstage layers app-config files: objects merge
 * key by key, anything else (a list, a string, a number) replaces what was
 * there. So a suite that passes `zookeeper.ensembles` replaces the ensemble
 * list the harness wrote, and one that passes `kafka.graph` keeps the brokers.
 */
export function mergeConfig(base: JsonObject, over?: JsonObject): JsonObject {
  if (!over) return base;
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] =
      isObject(current) && isObject(value)
        ? mergeConfig(current, value)
        : value;
  }
  return merged;
}
