import { InputError } from '@backstage/errors';

/**
 * Characters ZooKeeper refuses in a path (PathUtils.validatePath): NUL, the
 * C0 and C1 control characters, DEL, U+D800–U+F8FF (surrogates, so no
 * characters outside the BMP such as emoji, and the private use area) and
 * U+FFF0–U+FFFF.
 */
function isForbiddenChar(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0xd800 && code <= 0xf8ff) ||
    code >= 0xfff0
  );
}

function describeChar(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f)
    ? hex
    : `"${String.fromCharCode(code)}" (${hex})`;
}

/** Why one znode name is not valid, or undefined when it is. */
export function znodeNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name === '.' || name === '..')
    return `is a relative segment ("${name}"), which ZooKeeper does not allow`;
  if (name.includes('/')) return 'contains "/"';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (isForbiddenChar(code)) {
      const point = name.codePointAt(i)!;
      if (point > 0xffff) {
        return `contains "${String.fromCodePoint(point)}" (U+${point
          .toString(16)
          .toUpperCase()}) at character ${
          i + 1
        }; ZooKeeper does not allow characters outside the Basic Multilingual Plane (such as emoji) in a path`;
      }
      return `contains ${describeChar(code)} at character ${
        i + 1
      }, which ZooKeeper does not allow in a path`;
    }
  }
  return undefined;
}

/**
 * Checks a znode path against ZooKeeper's rules and returns it: absolute, no
 * empty segments (so no `//` and no trailing slash except the root itself),
 * no `.` or `..` segments, no control or otherwise forbidden characters. The
 * 400 names the offending segment and its 1-based position.
 */
export function validateZnodePath(path: unknown, what = 'znode path'): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InputError(
      `The ${what} is empty; it must be absolute, like /brokers/ids`,
    );
  }
  const shown = JSON.stringify(path);
  if (!path.startsWith('/')) {
    throw new InputError(
      `Invalid ${what} ${shown}: it must start with "/" (absolute), like /${path}`,
    );
  }
  if (path === '/') return path;
  const segments = path.slice(1).split('/');
  segments.forEach((segment, i) => {
    const problem = znodeNameProblem(segment);
    if (problem) {
      const trailing =
        i === segments.length - 1 && segment === ''
          ? ' (remove the trailing "/")'
          : '';
      throw new InputError(
        `Invalid ${what} ${shown}: segment ${i + 1}${
          segment && segment !== '.' && segment !== '..' ? ` "${segment}"` : ''
        } ${problem}${trailing}`,
      );
    }
  });
  return path;
}

/** The paths ZooKeeper keeps for itself (`/zookeeper`, quotas and the dynamic config). */
export function isReservedZnode(path: string): boolean {
  return path === '/zookeeper' || path.startsWith('/zookeeper/');
}

/** 400 for a mutation of the root or of ZooKeeper's own `/zookeeper` subtree. */
export function assertWritableZnode(path: string, action: string): void {
  if (path === '/') {
    throw new InputError(`Cannot ${action} the root znode "/"`);
  }
  if (isReservedZnode(path)) {
    throw new InputError(
      `Cannot ${action} ${path}: /zookeeper belongs to ZooKeeper itself (quotas, dynamic configuration)`,
    );
  }
}

export function joinZnode(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `prefix` or below it (segment-aware: /a is not above /ab). */
export function isAtOrBelow(prefix: string, path: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

/** The proper ancestors of a path, shallowest first, without the root: /a/b/c → /a, /a/b. */
export function ancestorsOfZnode(path: string): string[] {
  const result: string[] = [];
  for (let at = path.indexOf('/', 1); at > 0; at = path.indexOf('/', at + 1)) {
    result.push(path.slice(0, at));
  }
  return result;
}

/** Sibling order used by listings, cursors and exports: by UTF-16 code units, like Java's String.compareTo. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
