import { badRequest } from './errors';

/** Boolean query parameter with a default, as JAX-RS @DefaultValue("...") reads it. */
export function boolParam(
  query: URLSearchParams,
  name: string,
  fallback: boolean,
): boolean {
  const value = query.get(name);
  if (value === null || value === '') return fallback;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw badRequest(`Invalid value for query parameter ${name}: ${value}`);
}

/** All values of a repeatable query parameter (`embed=a&embed=b`). */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).filter(value => value.length > 0);
}
