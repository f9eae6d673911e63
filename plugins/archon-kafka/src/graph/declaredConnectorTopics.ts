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

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}
