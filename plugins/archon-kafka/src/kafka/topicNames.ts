import { InputError } from '@backstage/errors';
import { topicNameProblem } from '@archon/plugin-archon-common';

// The rule is archon-common's (shared with the scaffolder and the portal).

/** Throws a 400 naming the rule the topic name breaks. */
export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem) throw new InputError(problem);
}

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
