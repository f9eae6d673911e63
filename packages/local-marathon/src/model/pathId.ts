/**
 * Marathon path ids (server: state/PathId.scala). Ids are '/'-separated paths; a leading
 * '/' makes them absolute, otherwise they are relative to a base (the root, or the
 * enclosing group). '.' and '..' segments are resolved when the id is canonicalised.
 */

/** The RAML `strings.PathId` pattern, checked while the JSON body is read ("error.pattern"). */
export const RAML_PATH_ID_PATTERN =
  /^(\/?((\.\.)|(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))?($|\/))+$/;

/** The per-segment pattern of the semantic validator, quoted verbatim in its error message. */
export const SEGMENT_PATTERN_TEXT =
  '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$';
// Java's Matcher.matches() needs the whole segment to match one of the alternatives.
const SEGMENT_PATTERN = new RegExp(
  '^(?:(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.))$',
);

export const RESERVED_KEYWORDS = ['restart', 'tasks', 'versions', '.', '..'];

export const ROOT = '/';

interface ParsedPath {
  segments: string[];
  absolute: boolean;
}

function parse(id: string): ParsedPath {
  const trimmed = id.replace(/^\/+|\/+$/g, '');
  return {
    segments: trimmed.split('/').filter(segment => segment.length > 0),
    absolute: id.startsWith('/'),
  };
}

/** Resolves `id` against `base` and removes '.'/'..' segments, e.g. ('../b', '/g/a') -> '/g/b'. */
export function canonicalPath(id: string, base: string = ROOT): string {
  const parsed = parse(id);
  const all = parsed.absolute
    ? parsed.segments
    : [...parse(base).segments, ...parsed.segments];
  const result: string[] = [];
  for (const segment of all) {
    if (segment === '.') continue;
    if (segment === '..') result.pop();
    else result.push(segment);
  }
  return `/${result.join('/')}`;
}

export function segmentsOf(canonicalId: string): string[] {
  return parse(canonicalId).segments;
}

export function parentOf(canonicalId: string): string {
  const segments = segmentsOf(canonicalId);
  return `/${segments.slice(0, -1).join('/')}`;
}

/** True when `id` equals `ancestor` or lies below it. */
export function isWithin(id: string, ancestor: string): boolean {
  if (ancestor === ROOT) return true;
  return id === ancestor || id.startsWith(`${ancestor}/`);
}

/** `/prod/web/nginx` -> `prod_web_nginx`, the prefix of task and instance ids. */
export function safePath(canonicalId: string): string {
  return segmentsOf(canonicalId).join('_');
}

/**
 * Violations of the semantic id validator (messages as the server words them). Runs on
 * the canonical id, after the RAML pattern has already accepted the raw id.
 */
export function pathIdViolations(canonicalId: string): string[] {
  const segments = segmentsOf(canonicalId);
  const errors: string[] = [];
  if (!segments.every(segment => SEGMENT_PATTERN.test(segment))) {
    errors.push(
      `must fully match regular expression '${SEGMENT_PATTERN_TEXT}'`,
    );
  }
  const last = segments[segments.length - 1];
  if (last !== undefined && RESERVED_KEYWORDS.includes(last)) {
    errors.push(
      `must not end with any of the following reserved keywords: ${RESERVED_KEYWORDS.join(
        ', ',
      )}`,
    );
  }
  if (segments.length === 0)
    errors.push('Path must contain at least one path element');
  return errors;
}
