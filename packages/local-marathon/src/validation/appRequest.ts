import { invalidJson, objectNotValid, Violations } from '../http/errors';
import { normalizeApp } from '../model/appNormalization';
import { AppDefinition } from '../model/types';
import { isObject, JsonObject } from '../util/json';
import { APP_FIELDS } from './appShape';
import { validateApp } from './appValidation';
import { checkShape, Shape } from './jsonShape';

/**
 * Request-body pipeline for apps, in the server's order: read the JSON as the RAML type
 * (422 "Invalid JSON" on type errors), drop unknown fields, normalise, then run the
 * semantic validators (422 "Object is not valid").
 */
export function readShape(body: unknown, shape: Shape): JsonObject {
  const violations = new Violations();
  checkShape(body, shape, '', violations);
  if (!violations.isEmpty) throw invalidJson(violations.toDetails());
  return pickAppFields(body as JsonObject);
}

export function pickAppFields(body: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => APP_FIELDS.includes(key)),
  );
}

/** Normalises a raw (shape-checked) app and validates it; version fields are left empty. */
export function buildApp(raw: JsonObject, canonicalId: string): AppDefinition {
  const app = normalizeApp(raw, canonicalId);
  const violations = validateApp(raw, app);
  if (!violations.isEmpty) throw objectNotValid(violations.toDetails());
  return app;
}

/** For PUT/PATCH: `{"version": ...}` may only come with `id` (a rollback request). */
export function rollbackVersionOf(update: JsonObject): string | undefined {
  if (update.version === undefined || update.version === null) return undefined;
  const others = Object.entries(update).filter(
    ([key, value]) =>
      key !== 'id' &&
      key !== 'version' &&
      value !== null &&
      value !== undefined,
  );
  if (others.length > 0) {
    throw objectNotValid([
      {
        path: '/',
        errors: [
          "The 'version' field may only be combined with the 'id' field.",
        ],
      },
    ]);
  }
  return String(update.version);
}

export function requireObject(body: unknown): JsonObject {
  if (!isObject(body))
    throw invalidJson([{ path: '', errors: ['error.expected.jsobject'] }]);
  return body;
}
