import { InputError } from '@backstage/errors';
import type { Release, ReleaseCursor } from './store/ReleaseStore';

/**
 * The `nextCursor` of a page of releases: the last release's sort key
 * (creation time and id), base64url so clients treat it as opaque and it
 * needs no escaping in a query string.
 */
export function releaseCursorOf(last: Release): string {
  return Buffer.from(JSON.stringify([last.createdAt, last.id]), 'utf8').toString('base64url');
}

/** The `cursor` query parameter back into a sort key; a 400 for anything that is not an earlier nextCursor. */
export function parseReleaseCursor(value: unknown): ReleaseCursor | undefined {
  if (value === undefined || value === '') return undefined;
  const invalid = () => new InputError('"cursor" must be the nextCursor of an earlier page of releases');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [createdAt, id] = decoded;
  if (typeof createdAt !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(createdAt))) throw invalid();
  return { createdAt, id };
}
