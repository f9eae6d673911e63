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
