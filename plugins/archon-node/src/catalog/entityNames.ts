import crypto from 'node:crypto';

const MAX_NAME = 63;

/**
 * An entity name (`[A-Za-z0-9][-_.A-Za-z0-9]*[A-Za-z0-9]`, ≤ 63) unique per
 * cluster and object: `<cluster>.<object>`, with illegal characters replaced
 * and, when that changed or shortened it, a short hash of the original.
 * Every cluster gets its prefix, the first configured one too, so the same
 * topic name (or app id) on two clusters gives two entities and adding a
 * cluster renames nothing (#20).
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

/**
 * An entity's title: the object as its system names it and the cluster it is
 * on, `sample.aggregated (dr)`, so two same-named objects of two clusters read
 * apart in the catalog's lists, where only the title shows (#20).
 */
export function entityTitle(cluster: string, object: string): string {
  return `${object} (${cluster})`;
}
