import type { Command } from 'commander';
import type {
  KafkaMessage,
  KafkaMessagePayload,
} from '@archon/plugin-archon-common';
import { UsageError } from '../../lib/errors';
import type { Colors } from '../../lib/output';

export const FORMATS = ['auto', 'utf8', 'json', 'hex', 'base64'] as const;

export type Format = (typeof FORMATS)[number];

export function payloadText(
  p: KafkaMessagePayload | null | undefined,
): string | undefined {
  if (!p) return undefined;
  if (p.format === 'json') {
    try {
      return JSON.stringify(JSON.parse(p.text));
    } catch {
      return p.text;
    }
  }
  return p.text;
}

export function formatMessage(
  m: KafkaMessage,
  colors: Colors,
  options: { headers?: boolean },
): string {
  const key = payloadText(m.key);
  const value = payloadText(m.value);
  const headers =
    options.headers && m.headers.length
      ? ` ${colors.dim(
          `[${m.headers
            .map(h => `${h.key}=${payloadText(h.value) ?? ''}`)
            .join(' ')}]`,
        )}`
      : '';
  return `${colors.dim(
    `${m.time ?? new Date(m.timestamp).toISOString()} p${m.partition}@${
      m.offset
    }`,
  )} ${key !== undefined ? `${colors.cyan(key)} ` : ''}${
    value ?? colors.dim('(null)')
  }${headers}`;
}

export function formatOption(name: string) {
  return (value: string): Format => {
    if (!(FORMATS as readonly string[]).includes(value))
      throw new UsageError(`${name} must be one of ${FORMATS.join(', ')}`);
    return value as Format;
  };
}

/** The payload display options that `read` and `tail` share. */
export function withPayloadOptions(command: Command): Command {
  return command
    .option(
      '--key-format <format>',
      `${FORMATS.join(', ')} (default auto)`,
      formatOption('--key-format'),
    )
    .option(
      '--value-format <format>',
      `${FORMATS.join(', ')} (default auto)`,
      formatOption('--value-format'),
    )
    .option('--headers', 'show headers');
}

/** The server-side filter flags that `read` and `tail` share (the API's key, valueContains, jsonPath). */
export interface FilterFlags {
  key?: string;
  valueContains?: string;
  jsonPath?: string;
}

export function withFilterOptions(command: Command): Command {
  return command
    .option('--key <key>', 'only messages with this key (exactly)')
    .option(
      '--value-contains <text>',
      'only messages whose value contains this text',
    )
    .option(
      '--json-path <test>',
      "only JSON values that pass this test, e.g. '$.user.id == 42' (operators == != > >= < <= ~=)",
    );
}

/** The filter flags as API query values; a JSON path that cannot be one is a usage error here. */
export function filterQuery(flags: FilterFlags): FilterFlags {
  const jsonPath = flags.jsonPath?.trim();
  if (jsonPath !== undefined && !jsonPath.startsWith('$'))
    throw new UsageError(
      `--json-path must start with "$", e.g. --json-path '$.user.id == 42'`,
    );
  return {
    key: flags.key,
    valueContains: flags.valueContains,
    jsonPath: jsonPath || undefined,
  };
}
