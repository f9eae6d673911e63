import {
  archonGraphEndpoint,
  type ArchonGraphEndpoints,
} from '@archon/plugin-archon-node';

/**
 * The topics a connector's configuration declares, each with the config key
 * that says so (the graph's `declared` evidence). Sinks name what they read
 * (`topics`, `topics.regex`); sources name what they write with their own
 * keys — the common ones are `topic` (FileStream, many HTTP/MQTT sources),
 * `kafka.topic` (Datagen, several Confluent sources) and `topic.prefix`
 * (JDBC, Debezium: every topic that starts with it).
 *
 * Regular expressions and prefixes are expanded against the topics that
 * exist; a plainly named topic is declared whether it exists or not (a
 * declared but missing topic is worth seeing).
 */
export function declaredConnectorTopics(
  config: Record<string, string | undefined>,
  existingTopics: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (topic: string, why: string) => {
    const reasons = out.get(topic) ?? [];
    if (!reasons.includes(why)) reasons.push(why);
    out.set(topic, reasons);
  };
  for (const key of ['topics', 'topic', 'kafka.topic']) {
    for (const topic of splitList(config[key])) add(topic, `config ${key}`);
  }
  const regex = config['topics.regex']?.trim();
  if (regex) {
    let re: RegExp | undefined;
    try {
      // Connect matches the whole name (Java's Pattern.matcher().matches()).
      re = new RegExp(`^(?:${regex})$`);
    } catch {
      // A Java pattern JavaScript cannot read: nothing can be expanded.
    }
    if (re)
      for (const t of existingTopics)
        if (re.test(t)) add(t, `config topics.regex=${regex}`);
  }
  const prefix = config['topic.prefix']?.trim();
  if (prefix) {
    for (const t of existingTopics)
      if (t.startsWith(prefix)) add(t, `config topic.prefix=${prefix}`);
  }
  return out;
}

/** A key naming HTTP endpoints: its last word is `url` or `urls` (`http.api.url`, `connection.url`). */
const URL_KEY = /(^|[._-])urls?$/i;

/**
 * What a connector reads (a source) or writes (a sink) outside Kafka, for
 * the graph's endpoint links: the file of `file` (FileStream) and the http(s)
 * URLs of any `…url` / `…urls` key (HTTP connectors, Elasticsearch's
 * `connection.url`). Values that are no absolute path or http(s) URL (a JDBC
 * URL) are left out. Undefined for other connector types or nothing declared.
 */
export function declaredConnectorEndpoints(
  config: Record<string, string | undefined>,
  type: string,
): ArchonGraphEndpoints | undefined {
  if (type !== 'source' && type !== 'sink') return undefined;
  const uses: NonNullable<ArchonGraphEndpoints['reads']> = [];
  for (const [key, value] of Object.entries(config).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (!value) continue;
    let found: string[] = [];
    if (key === 'file') {
      const file = archonGraphEndpoint.file(value);
      found = file ? [file] : [];
    } else if (URL_KEY.test(key)) {
      found = splitList(value)
        .map(v => archonGraphEndpoint.url(v))
        .filter((v): v is string => v !== undefined);
    }
    for (const endpoint of found)
      uses.push({ endpoint, declared: `config ${key}` });
  }
  if (uses.length === 0) return undefined;
  return type === 'source' ? { reads: uses } : { writes: uses };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}
