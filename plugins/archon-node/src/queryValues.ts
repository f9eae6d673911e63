/**
 * Query values as the OpenAPI validator leaves them: it checks them against
 * the spec but does not coerce them, so a boolean or a number may still
 * arrive as a string. The one reading of each, for every route of archon and
 * its modules; an absent or empty value is `undefined`.
 */
export function boolQuery(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 'true';
}

export function intQuery(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Number(value);
}

export function strQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
