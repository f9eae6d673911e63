/** Helpers for Pheidippides configuration paths (`/foo/bar/service-1`). */

/** `/foo/bar` → `foo/bar`, the form the generated client puts in the URL. */
export function apiPath(path: string): string {
  return path.replace(/^\/+/, '');
}

/** `foo/bar` or `/foo/bar/` → `/foo/bar`; the root is `/`. */
export function normalizePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '' || trimmed === '/') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** `/foo/bar/baz` → [`/foo`, `/foo/bar`, `/foo/bar/baz`]. */
export function levelsOf(path: string): string[] {
  const segments = normalizePath(path).split('/').filter(Boolean);
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

/** The last segment of a path (the root is `/`). */
export function nameOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  return segments.length ? segments[segments.length - 1] : '/';
}

/** Joins a parent path and a child name. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const KEY = /^[A-Za-z0-9._-]+$/;

/** Why a level name is not allowed, or undefined. */
export function segmentProblem(name: string): string | undefined {
  if (!name) return 'Enter a name';
  if (!SEGMENT.test(name)) return 'Use one or more of A-Z a-z 0-9 _ -';
  return undefined;
}

/** Why a configuration key is not allowed, or undefined (the backend's rule). */
export function keyProblem(key: string): string | undefined {
  if (!key) return 'Enter a key';
  if (!KEY.test(key)) return 'Keys are one or more of A-Z a-z 0-9 . _ -';
  if (key.length > 256) return 'Keys are at most 256 characters';
  return undefined;
}

/** The mask archon puts in place of secret values (archon-common's). */
export { SECRET_MASK } from '@archon/plugin-archon-common';
