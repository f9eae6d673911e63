import YAML from 'yaml';
import type { ConnectConnectorRequestConfig } from '@archon/plugin-archon-common';
import { UsageError } from '../../lib/errors';
import { readInputFile } from '../../lib/files';
import type { Colors } from '../../lib/output';
import type { CliRuntime } from '../../lib/runtime';

/**
 * A connector file: Connect's own shapes, in JSON or YAML — `{ name, config: {...} }`
 * (as for POST /connectors) or the flat config (as for PUT .../config, the
 * name in `name`). Every value is read as a string, as Connect wants.
 */
export function parseConnectorFile(
  text: string,
  file: string,
): { name?: string; config: Record<string, string> } {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON or YAML: ${
        (error as Error).message.split('\n')[0]
      }`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(
      `${file} must hold a mapping: { name, config: {...} } or the flat config`,
    );
  const record = doc as Record<string, unknown>;
  const nested =
    record.config &&
    typeof record.config === 'object' &&
    !Array.isArray(record.config);
  const raw = (nested ? record.config : record) as Record<string, unknown>;
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== null && typeof v === 'object')
      throw new UsageError(
        `${file}: the config value of "${k}" must be a string, not a ${
          Array.isArray(v) ? 'list' : 'mapping'
        }`,
      );
    config[k] = v === null || v === undefined ? '' : String(v);
  }
  const name = typeof record.name === 'string' ? record.name : config.name;
  if (nested) {
    for (const key of Object.keys(record)) {
      if (key !== 'name' && key !== 'config')
        throw new UsageError(
          `${file}: unexpected top-level key "${key}" (only name and config)`,
        );
    }
  }
  return { name: name || undefined, config };
}

export function stateColor(state: string | undefined, colors: Colors): string {
  if (!state) return '';
  if (state === 'RUNNING') return colors.green(state);
  if (state === 'FAILED') return colors.red(state);
  if (
    state === 'PAUSED' ||
    state === 'STOPPED' ||
    state === 'UNASSIGNED' ||
    state === 'RESTARTING'
  )
    return colors.yellow(state);
  return state;
}

export async function connectorFile(
  rt: CliRuntime,
  file: string | undefined,
  nameArg?: string,
) {
  if (!file)
    throw new UsageError(
      'give the connector file with -f <file> (JSON or YAML; - for stdin)',
    );
  const parsed = parseConnectorFile(
    await readInputFile(file, rt.io.stdin),
    file,
  );
  const name = nameArg ?? parsed.name;
  if (!name)
    throw new UsageError(`${file} has no "name": add one, or pass --name`);
  return { name, config: withClass(parsed.config, file) };
}

/** The config, typed as the API wants it: with its connector.class. */
export function withClass(
  config: Record<string, string>,
  file = 'the file',
): ConnectConnectorRequestConfig {
  const connectorClass = config['connector.class'];
  if (!connectorClass) throw new UsageError(`${file} has no "connector.class"`);
  return { ...config, 'connector.class': connectorClass };
}
