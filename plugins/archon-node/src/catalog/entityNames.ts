import crypto from 'node:crypto';

const MAX_NAME = 63;

/**
 * An entity name (`[A-Za-z0-9][-_.A-Za-z0-9]*[A-Za-z0-9]`, ≤ 63) unique per
 * cluster and object: `<cluster>.<object>`, with illegal characters replaced
 * and, when that changed or shortened it, a short hash of the original.
 */
export function entityName(cluster: string, object: string): string {
  const raw = `${cluster}.${object}`;
  let name = raw
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (name !== raw || name.length > MAX_NAME) {
    const hash = crypto
      .createHash('sha1')
      .update(raw)
      .digest('hex')
      .slice(0, 8);
    name = `${name
      .slice(0, MAX_NAME - 9)
      .replace(/[^A-Za-z0-9]+$/, '')}-${hash}`;
  }
  return name;
}

export function topicEntityRef(
  namespace: string,
  cluster: string,
  topic: string,
) {
  return `resource:${namespace}/${entityName(cluster, topic)}`;
}
