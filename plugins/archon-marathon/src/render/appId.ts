import { UnprocessableError } from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';

/** Marathon's rule for one id segment (PathId.scala). */
export const APP_ID_SEGMENT =
  /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])$/;
/** The last segment of an app id may not be one of these. */
export const RESERVED_LAST_SEGMENTS = [
  'restart',
  'tasks',
  'versions',
  '.',
  '..',
];

/**
 * The Marathon app id a configuration path deploys to:
 *
 *   appIdPrefix + each segment lowercased, with `_` turned into `-`
 *
 * `/foo/bar/service-1` → `/foo/bar/service-1`, `/Prod/team_a/App` →
 * `/prod/team-a/app`. A segment that is still not a valid Marathon segment
 * afterwards (it starts or ends with `-`, e.g. `_tmp`), or a last segment that
 * Marathon reserves (`restart`, `tasks`, `versions`), is a 422 naming it.
 */
export function appIdOf(configPath: string, prefix = ''): string {
  const segments = configPath.split('/').slice(1);
  const converted = segments.map((segment, index) => {
    const id = segment.toLowerCase().replace(/_/g, '-');
    if (!APP_ID_SEGMENT.test(id)) {
      throw new UnprocessableError(
        `The configuration path ${configPath} cannot be a Marathon app id: segment ${
          index + 1
        } "${segment}" becomes "${id}", and Marathon id segments must start and end with a-z or 0-9 (inside also -)`,
        [
          {
            path: '/id',
            errors: [`segment "${segment}" is not a valid Marathon id segment`],
          },
        ],
      );
    }
    return id;
  });
  const last = converted[converted.length - 1];
  if (RESERVED_LAST_SEGMENTS.includes(last)) {
    throw new UnprocessableError(
      `The configuration path ${configPath} cannot be a Marathon app id: Marathon reserves "${last}" as the last segment of an id`,
      [
        {
          path: '/id',
          errors: [
            `must not end with any of the following reserved keywords: ${RESERVED_LAST_SEGMENTS.join(
              ', ',
            )}`,
          ],
        },
      ],
    );
  }
  return `${prefix}/${converted.join('/')}`;
}

/** Validates an app id given by a caller (URL), normalising it to `/a/b`; 400 naming the problem. */
export function parseAppId(raw: string): string {
  const id = `/${raw.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  const segments = id.split('/').slice(1);
  if (segments.length === 0 || segments[0] === '') {
    throw new InputError('An app id is needed, e.g. foo/bar/service-1');
  }
  segments.forEach((segment, index) => {
    if (!APP_ID_SEGMENT.test(segment)) {
      throw new InputError(
        `Invalid Marathon app id "${id}": segment ${
          index + 1
        } "${segment}" must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`,
      );
    }
  });
  return id;
}
