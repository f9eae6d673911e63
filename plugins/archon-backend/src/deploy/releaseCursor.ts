import { invalidCursor, type CursorKey } from '@archon/plugin-archon-node';
import type { Release, ReleaseCursor } from './store/ReleaseStore';

/** A release's place in the list (newest first): its creation time, then its id. */
export function releaseKeyOf(release: Release): CursorKey {
  return { value: release.createdAt, id: release.id };
}

/** The shared cursor's key as the release store's position; a 400 naming `cursor` unless it came from a page of releases. */
export function releaseCursorOf(
  key: CursorKey | undefined,
): ReleaseCursor | undefined {
  if (!key) return undefined;
  if (typeof key.value !== 'string' || Number.isNaN(Date.parse(key.value)))
    throw invalidCursor('releases');
  return { createdAt: key.value, id: key.id };
}
