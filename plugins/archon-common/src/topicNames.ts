import { InputError } from '@backstage/errors';

/** Kafka's own rule (org.apache.kafka.common.internals.Topic.validate). */
export const TOPIC_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
export const TOPIC_NAME_MAX_LENGTH = 249;

/**
 * What is wrong with a topic name, in words a person acts on, or undefined
 * when Kafka accepts it. Callers turn the problem into their own error type
 * (a 400 in the API, a failed step in the scaffolder).
 */
export function topicNameProblem(name: string): string | undefined {
  if (!name) return 'topic name must not be empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > TOPIC_NAME_MAX_LENGTH) {
    return `topic name is ${name.length} characters long, Kafka allows at most ${TOPIC_NAME_MAX_LENGTH}`;
  }
  if (!TOPIC_NAME_PATTERN.test(name)) {
    return `topic name "${name}" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`;
  }
  return undefined;
}

/** Throws a 400 naming the rule the topic name breaks. */
export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem) throw new InputError(problem);
}
