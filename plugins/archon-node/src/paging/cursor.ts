import { InputError } from '@backstage/errors';

/** A position in a sorted list: the sort value of the last item shown and its id (the tie-breaker). */
export interface CursorKey {
  value: string | number | null;
  id: string;
}

/**
 * The `nextCursor` of a page: the last item's sort key, base64url so clients
 * treat it as opaque and it needs no escaping in a query string.
 */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.value, key.id]), 'utf8').toString(
    'base64url',
  );
}

/** The error of a `cursor` that is not a nextCursor archon gave out: a 400 naming the parameter. */
export function invalidCursor(what = 'this list'): InputError {
  return new InputError(
    `"cursor" must be the nextCursor of an earlier page of ${what}; start without it`,
  );
}

/** The `cursor` query parameter back into a sort key; undefined when absent, a 400 for anything else. */
export function decodeCursor(
  value: unknown,
  what?: string,
): CursorKey | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value))
    throw invalidCursor(what);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(what);
  }
  if (!Array.isArray(decoded) || decoded.length !== 2)
    throw invalidCursor(what);
  const [sortValue, id] = decoded;
  const valueOk =
    sortValue === null ||
    typeof sortValue === 'string' ||
    (typeof sortValue === 'number' && Number.isFinite(sortValue));
  if (!valueOk || typeof id !== 'string') throw invalidCursor(what);
  return { value: sortValue, id };
}
