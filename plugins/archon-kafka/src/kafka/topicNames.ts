/**
 * Kafka refuses a topic whose name equals an existing one once '.' and '_'
 * are treated as the same (their metric names would collide).
 */
export function collidingTopic(
  name: string,
  existing: Iterable<string>,
): string | undefined {
  const key = name.replace(/\./g, '_');
  for (const other of existing) {
    if (other !== name && other.replace(/\./g, '_') === key) return other;
  }
  return undefined;
}
