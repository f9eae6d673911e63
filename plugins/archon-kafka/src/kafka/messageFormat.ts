/** How a key, value or header is shown. */
export type MessageFormat = 'auto' | 'utf8' | 'json' | 'hex' | 'base64';

export interface FormattedPayload {
  format: Exclude<MessageFormat, 'auto'>;
  text: string;
  size: number;
  /** Set when the asked-for format did not fit (e.g. json on non-JSON bytes). */
  error?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function strictUtf8(buf: Buffer): string | undefined {
  try {
    const text = decoder.decode(buf);
    // Mostly control characters: binary that happens to be valid UTF-8.
    // eslint-disable-next-line no-control-regex
    const control = text.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
    return control > text.length / 10 ? undefined : text;
  } catch {
    return undefined;
  }
}

function asJson(text: string): string | undefined {
  const t = text.trim();
  if (!t || !'{["'.includes(t[0])) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

/**
 * Shows bytes as asked. `auto`: pretty JSON when they parse as a JSON
 * object/array/string, UTF-8 text when they decode as text, hex otherwise.
 */
export function formatPayload(
  buf: Buffer | null,
  format: MessageFormat,
): FormattedPayload | null {
  if (buf === null) return null;
  const size = buf.length;
  switch (format) {
    case 'hex':
      return { format, text: buf.toString('hex'), size };
    case 'base64':
      return { format, text: buf.toString('base64'), size };
    case 'utf8':
      return { format, text: buf.toString('utf8'), size };
    case 'json': {
      const json = asJson(buf.toString('utf8'));
      return json !== undefined
        ? { format, text: json, size }
        : {
            format: 'hex',
            text: buf.toString('hex'),
            size,
            error: 'not valid JSON; shown as hex',
          };
    }
    default: {
      const text = strictUtf8(buf);
      if (text === undefined)
        return { format: 'hex', text: buf.toString('hex'), size };
      const json = asJson(text);
      return json !== undefined
        ? { format: 'json', text: json, size }
        : { format: 'utf8', text, size };
    }
  }
}

/** Turns a payload from a produce request into bytes. */
export function encodePayload(
  value: string | null | undefined,
  encoding: 'utf8' | 'base64' | 'hex' = 'utf8',
): Buffer | null {
  if (value === null || value === undefined) return null;
  return Buffer.from(value, encoding);
}

/** A fetched record as the API shows it (read, filtered scan and live tail alike). */
export function formatRecord(
  m: {
    partition: number;
    offset: number;
    timestamp: number;
    key: Buffer | null;
    value: Buffer | null;
    headers: Array<{ key: string; value: Buffer | null }>;
  },
  keyFormat: MessageFormat = 'auto',
  valueFormat: MessageFormat = 'auto',
) {
  return {
    partition: m.partition,
    offset: m.offset,
    timestamp: m.timestamp,
    time: new Date(m.timestamp).toISOString(),
    key: formatPayload(m.key, keyFormat),
    value: formatPayload(m.value, valueFormat),
    headers: m.headers.map(h => ({
      key: h.key,
      value: formatPayload(h.value, 'auto'),
    })),
  };
}
