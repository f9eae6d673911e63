import { InputError } from '@backstage/errors';

/*
 * Configuration paths name levels of the Pheidippides tree, e.g.
 * `/foo/bar/service-1`. They map one-to-one onto ZooKeeper znodes below the
 * service's root, so the rules are deliberately strict: only characters that
 * are safe in znode names, URLs and shell commands without quoting.
 */

const SEGMENT_PATTERN = /^[A-Za-z0-9_-]+$/;
const SEGMENT_RULE = 'each segment is one or more of A-Z a-z 0-9 _ -';

function describeChar(char: string): string {
  const codePoint = char.codePointAt(0)!;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  return `"${char}" (U+${hex})`;
}

function invalidPath(path: string, reason: string): InputError {
  return new InputError(
    `Invalid configuration path ${JSON.stringify(
      path,
    )}: ${reason}; ${SEGMENT_RULE}`,
  );
}

/**
 * Explains why one segment is invalid, or returns undefined when it is valid.
 * `position` is 1-based, counted from the first segment after the leading `/`.
 */
function segmentProblem(
  segment: string,
  position: number,
  isLast: boolean,
): string | undefined {
  if (segment === '') {
    return isLast
      ? `segment ${position} is empty (trailing slash)`
      : `segment ${position} is empty`;
  }
  if (segment === '.' || segment === '..') {
    return `segment ${position} is "${segment}"; relative segments are not allowed`;
  }
  if (SEGMENT_PATTERN.test(segment)) {
    return undefined;
  }
  // Iterate by code point so that astral characters are reported whole.
  let index = 0;
  for (const char of segment) {
    index += 1;
    if (!/^[A-Za-z0-9_-]$/.test(char)) {
      return `segment ${position} ${JSON.stringify(
        segment,
      )} contains ${describeChar(char)} at character ${index}`;
    }
  }
  return `segment ${position} is invalid`;
}

/**
 * Splits a configuration path into its segments, validating it.
 *
 * A configuration path is `/` name { `/` name }, where a name is one or more
 * of `A-Z a-z 0-9 _ -`. The root `/` is not a configuration path: it is the
 * service's own root and cannot hold a configuration set.
 *
 * @throws InputError naming the offending segment and its 1-based position.
 */
export function parseConfigPath(path: string): string[] {
  if (typeof path !== 'string') {
    throw new InputError(
      `Invalid configuration path: expected a string, got ${
        path === null ? 'null' : typeof path
      }`,
    );
  }
  if (path === '') {
    throw invalidPath(path, 'the path is empty; it must start with "/"');
  }
  if (path === '/') {
    throw invalidPath(
      path,
      'the root "/" is not a configuration path and cannot hold a configuration set',
    );
  }
  if (!path.startsWith('/')) {
    throw invalidPath(path, 'it must start with "/"');
  }
  const segments = path.slice(1).split('/');
  segments.forEach((segment, index) => {
    const problem = segmentProblem(
      segment,
      index + 1,
      index === segments.length - 1,
    );
    if (problem) {
      throw invalidPath(path, problem);
    }
  });
  return segments;
}

/** Returns true when `path` is a valid configuration path; never throws. */
export function isValidConfigPath(path: string): boolean {
  if (typeof path !== 'string' || !path.startsWith('/') || path === '/') {
    return false;
  }
  return path
    .slice(1)
    .split('/')
    .every(segment => SEGMENT_PATTERN.test(segment));
}

/**
 * Joins segments into a configuration path, validating every segment.
 *
 * @throws InputError when there are no segments or a segment is invalid.
 */
export function formatConfigPath(segments: readonly string[]): string {
  if (segments.length === 0) {
    throw new InputError(
      'Invalid configuration path: it needs at least one segment; the root "/" is not a configuration path',
    );
  }
  const path = `/${segments.join('/')}`;
  segments.forEach((segment, index) => {
    // A segment containing "/" would silently become two segments; report it
    // against the segments as given rather than the joined string.
    const problem =
      typeof segment === 'string' && segment.includes('/')
        ? `segment ${index + 1} ${JSON.stringify(segment)} contains "/"`
        : segmentProblem(segment, index + 1, false);
    if (problem) {
      throw invalidPath(path, problem);
    }
  });
  return path;
}

/**
 * Every prefix of a path, shallowest first, ending with the path itself:
 * `/foo/bar/s` gives `['/foo', '/foo/bar', '/foo/bar/s']`. These are the
 * levels whose configuration sets make up the path's effective configuration.
 */
export function ancestorsOf(path: string): string[] {
  const segments = parseConfigPath(path);
  const result = new Array<string>(segments.length);
  let current = '';
  for (let i = 0; i < segments.length; i++) {
    current = `${current}/${segments[i]}`;
    result[i] = current;
  }
  return result;
}

/**
 * The parent level of a path, or undefined for a top-level path (whose parent
 * would be the root, which is not a configuration path).
 */
export function parentOf(path: string): string | undefined {
  parseConfigPath(path);
  const cut = path.lastIndexOf('/');
  return cut === 0 ? undefined : path.slice(0, cut);
}

/**
 * Segment-aware prefix test for paths already known to be valid. Kept separate
 * so that hot loops over snapshots do not re-validate every path.
 */
export function isPrefixOfUnchecked(prefix: string, path: string): boolean {
  return (
    path === prefix ||
    (path.length > prefix.length &&
      path.startsWith(prefix) &&
      path.charCodeAt(prefix.length) === 47) /* '/' */
  );
}

/**
 * True when `prefix` is `path` itself or one of its ancestors. Segment-aware:
 * `/foo` is a prefix of `/foo/bar` but not of `/foobar`.
 *
 * @throws InputError when either argument is not a valid configuration path.
 */
export function isPrefixOf(prefix: string, path: string): boolean {
  parseConfigPath(prefix);
  parseConfigPath(path);
  return isPrefixOfUnchecked(prefix, path);
}

/**
 * Orders paths as a depth-first walk of the tree (parents before children,
 * siblings by name), which plain string order does not do: `-` sorts before
 * `/`, so `/foo-x` would land between `/foo` and `/foo/bar`.
 */
export function compareConfigPaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  const length = Math.min(as.length, bs.length);
  for (let i = 0; i < length; i++) {
    if (as[i] !== bs[i]) {
      return as[i] < bs[i] ? -1 : 1;
    }
  }
  return as.length - bs.length;
}
