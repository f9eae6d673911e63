import { CliError } from './errors';
import { ExitCode } from './exitCodes';

/** One server-sent event. */
export interface SseEvent {
  /** `message` when the stream names none. */
  event: string;
  data: string;
  id?: string;
}

/**
 * Parses a text/event-stream body (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * `event:`/`data:`/`id:` lines, events separated by a blank line, `:` comments
 * ignored, multi-line data joined with "\n".
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  const flush = (): SseEvent | undefined => {
    const out = data.length
      ? {
          event: event || 'message',
          data: data.join('\n'),
          ...(id !== undefined && { id }),
        }
      : undefined;
    event = '';
    data = [];
    return out;
  };
  const lineOf = (line: string): SseEvent | undefined => {
    if (line === '') return flush();
    if (line.startsWith(':')) return undefined;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
    return undefined;
  };
  for await (const chunk of body) {
    buffer +=
      typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(
        buffer[newline] === '\r' && buffer[newline + 1] === '\n'
          ? newline + 2
          : newline + 1,
      );
      const ev = lineOf(line);
      if (ev) yield ev;
      newline = buffer.search(/\r\n|\r|\n/);
    }
  }
  if (buffer) {
    const ev = lineOf(buffer);
    if (ev) yield ev;
  }
  const last = flush();
  if (last) yield last;
}

/**
 * The `error` frame archon ends a stream with when the system behind it
 * stopped answering (`{ system, instance, message }`): a CliError that exits
 * 6 (unreachable), printed on stderr like every error. Undefined for any
 * other event.
 */
export function streamEndError(event: SseEvent): CliError | undefined {
  if (event.event !== 'error') return undefined;
  let message = event.data;
  try {
    const data = JSON.parse(event.data) as { message?: string };
    if (typeof data?.message === 'string') message = data.message;
  } catch {
    // not JSON: the text is the message
  }
  return new CliError(message, ExitCode.Unreachable);
}
