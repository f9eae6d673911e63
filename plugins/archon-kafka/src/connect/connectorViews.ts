export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type: string;
}
export interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: Array<{
    id: number;
    state: string;
    worker_id: string;
    trace?: string;
  }>;
  type: string;
}
export interface ValidationAnswer {
  name: string;
  error_count: number;
  configs: Array<{ value: { name: string; errors: string[] } }>;
}

export interface ConnectorView {
  name: string;
  type: string;
  state: string;
  workerId: string | null;
  trace?: string;
  tasks: Array<{ id: number; state: string; workerId: string; trace?: string }>;
  failedTasks: number;
  config: Record<string, string>;
}

export const CONNECTOR_NAME = /^[^/\\]+$/;

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** Topics a connector is configured with (sinks: `topics` / `topics.regex`; sources: common keys). */
export function configuredTopics(
  config: Record<string, string>,
  allTopics?: string[],
) {
  const topics = new Set<string>([
    ...splitList(config.topics),
    ...splitList(config.topic),
  ]);
  if (config['topics.regex'] && allTopics) {
    try {
      const re = new RegExp(`^(?:${config['topics.regex']})$`);
      for (const t of allTopics) if (re.test(t)) topics.add(t);
    } catch {
      // A regex Java accepts and JavaScript does not: ignore it here.
    }
  }
  return [...topics].sort();
}
