import { InputError } from '@backstage/errors';

/** Kafka's own rule (org.apache.kafka.common.internals.Topic.validate). */
export const TOPIC_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
export const TOPIC_NAME_MAX_LENGTH = 249;

/** Throws a 400 naming the rule the topic name breaks. */
export function validateTopicName(name: string): void {
  if (!name) throw new InputError('topic name must not be empty');
  if (name === '.' || name === '..') {
    throw new InputError(`topic name cannot be "${name}"`);
  }
  if (name.length > TOPIC_NAME_MAX_LENGTH) {
    throw new InputError(
      `topic name is ${name.length} characters long, Kafka allows at most ${TOPIC_NAME_MAX_LENGTH}`,
    );
  }
  if (!TOPIC_NAME_PATTERN.test(name)) {
    throw new InputError(
      `topic name "${name}" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`,
    );
  }
}

/**
 * Kafka refuses a topic whose name equals an existing one once '.' and '_'
 * are treated as the same (their metric names would collide).
 */
export function collidingTopic(name: string, existing: Iterable<string>): string | undefined {
  const key = name.replace(/\./g, '_');
  for (const other of existing) {
    if (other !== name && other.replace(/\./g, '_') === key) return other;
  }
  return undefined;
}
