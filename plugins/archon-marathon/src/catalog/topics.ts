/** Words that make a topic key an input (the app consumes the topics). */
const INPUT_WORDS = new Set([
  'input',
  'inputs',
  'in',
  'source',
  'sources',
  'consume',
  'consumes',
  'consumer',
  'subscribe',
  'read',
  'from',
]);
/** Words that make a topic key an output (the app produces to the topics). */
const OUTPUT_WORDS = new Set([
  'output',
  'outputs',
  'out',
  'sink',
  'sinks',
  'produce',
  'produces',
  'producer',
  'publish',
  'write',
  'to',
  'error',
  'errors',
  'dlq',
  'deadletter',
]);

export interface TopicReference {
  /** The configuration key or environment variable that names the topics. */
  name: string;
  direction: 'input' | 'output';
  topics: string[];
}

/**
 * The Kafka topics an app's configuration names, by key convention:
 *
 * - a key whose last word is `topic` or `topics` names topics (its value is a
 *   comma- or space-separated list);
 * - its other words tell the direction: `input`, `in`, `source`, `consumer`,
 *   ... → the app consumes; `output`, `out`, `sink`, `producer`, `error`,
 *   `dlq`, ... → the app produces; the last such word wins; a key with
 *   neither (e.g. `kafka.topic`) is ambiguous and ignored.
 *
 * Words are split at `.`, `_` and `-`, case-insensitively, so the rule reads
 * configuration keys (`kafka.input.topics`) and the environment variables
 * archon renders from them (`KAFKA_INPUT_TOPICS`) alike.
 */
export function topicReferences(
  entries: Record<string, unknown>,
): TopicReference[] {
  const out: TopicReference[] = [];
  for (const [name, value] of Object.entries(entries)) {
    if (typeof value !== 'string') continue;
    const words = name
      .toLowerCase()
      .split(/[._-]+/)
      .filter(Boolean);
    const last = words[words.length - 1];
    if (last !== 'topic' && last !== 'topics') continue;
    let direction: TopicReference['direction'] | undefined;
    for (const word of words.slice(0, -1)) {
      if (INPUT_WORDS.has(word)) direction = 'input';
      else if (OUTPUT_WORDS.has(word)) direction = 'output';
    }
    if (!direction) continue;
    const topics = value
      .split(/[\s,]+/)
      .map(t => t.trim())
      .filter(t => /^[A-Za-z0-9._-]+$/.test(t));
    if (topics.length) out.push({ name, direction, topics });
  }
  return out.sort((a, b) => {
    if (a.name === b.name) return 0;
    return a.name < b.name ? -1 : 1;
  });
}
